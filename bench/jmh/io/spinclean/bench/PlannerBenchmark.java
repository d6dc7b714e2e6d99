package io.spinclean.bench;

import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Pod;
import io.spinclean.core.Policy;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Planner throughput (issue 5, target 4): one namespace of {@code replicaSets} ReplicaSets in
 * clusters of 50 versions with 5 pods each (so 10,000 ReplicaSets come with 50,000 pods), shaped
 * like bench/'s synthetic namespace: the newest version of each cluster serves, the others are
 * disabled and planned for deletion. The series 1,000 / 5,000 / 10,000 shows whether planning is
 * linear in the number of objects. Run with bench/jmh-run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlannerBenchmark {
  private static final int VERSIONS = 50;
  private static final int PODS = 5;
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  @Param({"1000", "5000", "10000"})
  public int replicaSets;

  private Snapshot snapshot;
  private final Planner planner = new Planner(Policy.DEFAULT);

  @Setup
  public void setUp() {
    List<ReplicaSet> rs = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    String ns = "bench";
    for (int c = 0; c < replicaSets / VERSIONS; c++) {
      String app = "app" + c;
      services.add(new Service(ns, app, Map.of("load-balancer", app)));
      for (int v = 1; v <= VERSIONS; v++) {
        String name = app + "-v" + String.format("%03d", v);
        String uid = "rs-" + c + "-" + v;
        rs.add(new ReplicaSet(ns, name, uid, Integer.toString(v), BASE.plusSeconds(3600L * v),
            false, false,
            Map.of("moniker.spinnaker.io/application", app,
                "moniker.spinnaker.io/cluster", "replicaSet " + app,
                "moniker.spinnaker.io/sequence", Integer.toString(v),
                "traffic.spinnaker.io/load-balancers", "[\"service " + app + "\"]"),
            Map.of("app", app),
            Map.of("app", app, "version", "v" + v, "load-balancer", app), PODS,
            Selector.of(Map.of("app", app, "version", "v" + v))));
        boolean serving = v == VERSIONS;
        for (int p = 0; p < PODS; p++) {
          Map<String, String> labels = serving
              ? Map.of("app", app, "version", "v" + v, "load-balancer", app)
              : Map.of("app", app, "version", "v" + v);
          pods.add(new Pod(ns, name + "-" + p, uid + "-" + p, uid, labels, true, false));
        }
      }
    }
    snapshot = new Snapshot(BASE.plusSeconds(86_400L * 365), rs, pods, services);
    if (planner.plan(snapshot).deletions().size() != replicaSets - replicaSets / VERSIONS) {
      throw new IllegalStateException("the synthetic namespace does not plan as intended");
    }
  }

  @Benchmark
  public Plan plan() {
    return planner.plan(snapshot);
  }
}
