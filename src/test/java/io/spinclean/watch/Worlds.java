package io.spinclean.watch;

import io.spinclean.core.ClusterKey;
import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Snapshots of cluster {@code replicaSet webapp} in namespace {@code prod}, fronted by Service
 * {@code webapp} (selector {@code load-balancer-webapp: "true"}).
 */
final class Worlds {
  static final ClusterKey WEBAPP = new ClusterKey("prod", "webapp", "replicaSet webapp");
  private static final Map<String, String> SELECTOR = Map.of("load-balancer-webapp", "true");

  private final List<ReplicaSet> replicaSets = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();

  /** A version {@code webapp-vNNN} created {@code age} before {@code now}. */
  Worlds version(int n, Instant now, Duration age, int readyServing, int unreadyLabeled) {
    String name = String.format("webapp-v%03d", n);
    String uid = "uid-" + name;
    replicaSets.add(
        new ReplicaSet(
            "prod",
            name,
            uid,
            "1",
            now.minus(age),
            false,
            false,
            Map.of(
                "moniker.spinnaker.io/application",
                "webapp",
                "moniker.spinnaker.io/cluster",
                "replicaSet webapp",
                "moniker.spinnaker.io/sequence",
                String.valueOf(n),
                "traffic.spinnaker.io/load-balancers",
                "[\"service webapp\"]"),
            Map.of(),
            SELECTOR,
            readyServing + unreadyLabeled,
            Selector.of(Map.of("app", "webapp"))));
    for (int i = 0; i < readyServing + unreadyLabeled; i++) {
      pods.add(
          new Pod(
              "prod",
              name + "-" + i,
              uid + "-" + i,
              uid,
              Map.of("app", "webapp", "load-balancer-webapp", "true"),
              i < readyServing,
              false));
    }
    return this;
  }

  Snapshot at(Instant now) {
    return new Snapshot(now, replicaSets, pods, List.of(new Service("prod", "webapp", SELECTOR)));
  }
}
