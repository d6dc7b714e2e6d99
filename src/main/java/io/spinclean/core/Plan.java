package io.spinclean.core;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A whole plan: every selected Spinnaker cluster, sorted by namespace, application, cluster. */
public record Plan(Instant takenAt, Policy policy, List<ClusterPlan> clusters) {
  public Plan {
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(policy, "policy");
    clusters = List.copyOf(clusters);
  }

  /** A version to delete, with the cluster it belongs to. */
  public record Deletion(ClusterKey cluster, VersionPlan version) {}

  public List<Deletion> deletions() {
    return clusters.stream()
        .flatMap(c -> c.deletions().stream().map(v -> new Deletion(c.key(), v)))
        .toList();
  }

  public boolean anyRefused() {
    return clusters.stream().anyMatch(c -> c.verdict() == Verdict.REFUSED);
  }

  public Summary summary() {
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    Map<Action, Integer> actions = new EnumMap<>(Action.class);
    for (Verdict v : Verdict.values()) {
      verdicts.put(v, 0);
    }
    for (Action a : Action.values()) {
      actions.put(a, 0);
    }
    int versions = 0;
    for (ClusterPlan c : clusters) {
      verdicts.merge(c.verdict(), 1, Integer::sum);
      for (VersionPlan v : c.versions()) {
        versions++;
        actions.merge(v.action(), 1, Integer::sum);
      }
    }
    return new Summary(clusters.size(), versions, verdicts, actions);
  }

  /** Counts over the whole plan. */
  public record Summary(
      int clusters, int versions, Map<Verdict, Integer> verdicts, Map<Action, Integer> actions) {
    public Summary {
      verdicts = Map.copyOf(verdicts);
      actions = Map.copyOf(actions);
    }
  }
}
