package io.spinclean.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the planner sees of a Kubernetes API at one instant: ReplicaSets, Pods and Services, already
 * reduced to the fields the rules need. Time is data: {@code takenAt} is the only clock the planner
 * knows.
 */
public record Snapshot(
    Instant takenAt, List<ReplicaSet> replicaSets, List<Pod> pods, List<Service> services) {
  public Snapshot {
    Objects.requireNonNull(takenAt, "takenAt");
    replicaSets = List.copyOf(replicaSets);
    pods = List.copyOf(pods);
    services = List.copyOf(services);
  }
}
