package io.spinclean.watch;

import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Planner;
import io.spinclean.core.Pod;
import io.spinclean.core.Policy;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster whose annotations were written to deceive whoever reads spinclean's reports: an
 * application name that reverses the text after it (U+202E), a cluster name with Slack mentions,
 * link markup and a terminal colour, and a traffic annotation that would start a fake log line
 * (carriage return, "erase line", newline), with DEL, C1 controls and more bidi controls.
 */
final class Forged {
  static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
  static final String APPLICATION = "web\u202eppa";
  static final String CLUSTER = "<!channel> <http://evil.example|details> & <@U123> \u001b[31mred";
  static final String LOAD_BALANCERS =
      "x\r\u001b[2K2026-11-26T08:00:00Z info outcome=DELETED\n\u0085\u009b2K\u007f\u2066\u200f";

  private Forged() {}

  /** v001 serves, v002 failed: v002 is to be deleted. */
  static ClusterPlan cleanup() {
    return plan("[\"service webapp\"]");
  }

  /** v002's traffic annotation is the forged one: refused as malformed. */
  static ClusterPlan refused() {
    return plan(LOAD_BALANCERS);
  }

  static Decision decision(Decision.Kind kind, ClusterPlan plan, String message) {
    return new Decision(kind, plan, Optional.empty(), message);
  }

  private static ClusterPlan plan(String v002LoadBalancers) {
    Map<String, String> selector = Map.of("load-balancer-webapp", "true");
    List<ReplicaSet> replicaSets = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      String name = "webapp-v00" + n;
      replicaSets.add(
          new ReplicaSet(
              "prod",
              name,
              "uid-" + name,
              "1",
              T0.minus(Duration.ofDays(3 - n)),
              false,
              false,
              Map.of(
                  "moniker.spinnaker.io/application",
                  APPLICATION,
                  "moniker.spinnaker.io/cluster",
                  CLUSTER,
                  "traffic.spinnaker.io/load-balancers",
                  n == 2 ? v002LoadBalancers : "[\"service webapp\"]"),
              Map.of(),
              selector,
              1,
              Selector.of(Map.of("version", name))));
      pods.add(
          new Pod(
              "prod",
              name + "-0",
              "uid-" + name + "-0",
              "uid-" + name,
              java.util.Map.<String, String>of("load-balancer-webapp", "true", "version", name),
              n == 1,
              false));
    }
    Snapshot s =
        new Snapshot(T0, replicaSets, pods, List.of(new Service("prod", "webapp", selector)));
    return new Planner(Policy.DEFAULT).plan(s).clusters().get(0);
  }
}
