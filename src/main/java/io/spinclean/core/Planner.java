package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Turns a {@link Snapshot} into a {@link Plan}. Pure: no I/O, no clock, no logging; the same
 * snapshot (in any order) and policy always give the same plan.
 *
 * <p>Invariants: only ReplicaSets that are Spinnaker versions are ever planned; the keeper is never
 * deleted; nothing is deleted in a REFUSED or SKIPPED cluster.
 */
public final class Planner {
  private final Policy policy;

  public Planner(Policy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public Plan plan(Snapshot snapshot) {
    Map<String, List<Pod>> podsByOwner = new HashMap<>();
    for (Pod pod : snapshot.pods()) {
      if (!pod.controllerUid().isEmpty()) {
        podsByOwner
            .computeIfAbsent(pod.namespace() + "/" + pod.controllerUid(), k -> new ArrayList<>())
            .add(pod);
      }
    }
    Map<String, Service> servicesByName = new HashMap<>();
    for (Service svc : snapshot.services()) {
      servicesByName.put(svc.namespace() + "/" + svc.name(), svc);
    }

    Map<ClusterKey, List<ReplicaSet>> clusters = new TreeMap<>();
    for (ReplicaSet rs : snapshot.replicaSets()) {
      ClusterKey key = versionOf(rs);
      if (key != null && policy.selects(key)) {
        clusters.computeIfAbsent(key, k -> new ArrayList<>()).add(rs);
      }
    }

    ClusterPlanner clusterPlanner =
        new ClusterPlanner(policy, snapshot.takenAt(), podsByOwner, servicesByName);
    List<ClusterPlan> plans = new ArrayList<>();
    clusters.forEach((key, versions) -> plans.add(clusterPlanner.plan(key, versions)));
    return new Plan(snapshot.takenAt(), policy, capDeletions(plans));
  }

  /**
   * Rule 1: a version has non-empty application and cluster annotations, is not controlled by
   * another object (a Deployment's ReplicaSets are its own business,
   * docs/spinnaker-semantics.md#clusters), and is not already being deleted. Returns its cluster,
   * or null when it is not a version.
   */
  static ClusterKey versionOf(ReplicaSet rs) {
    if (rs.controlled() || rs.terminating()) {
      return null;
    }
    String app = Annotations.unquote(rs.annotations().get(Annotations.APPLICATION));
    String cluster = Annotations.unquote(rs.annotations().get(Annotations.CLUSTER));
    if (app.isEmpty() || cluster.isEmpty()) {
      return null;
    }
    return new ClusterKey(rs.namespace(), app, cluster);
  }

  /**
   * Rule 9 over a run of several plans (one per Kubernetes context, made without a limit): when
   * together they would delete more than {@code max} versions, none of them deletes anything. Each
   * returned plan carries {@code max} in its policy, so it shows the limit it was held to.
   */
  public static List<Plan> capDeletions(List<Plan> plans, int max) {
    int total = plans.stream().mapToInt(p -> p.deletions().size()).sum();
    String why =
        "the run would delete "
            + total
            + " versions over "
            + plans.size()
            + " contexts, more than --max-deletions "
            + max;
    List<Plan> capped = new ArrayList<>();
    for (Plan plan : plans) {
      List<ClusterPlan> clusters =
          total <= max
              ? plan.clusters()
              : plan.clusters().stream()
                  .map(
                      c ->
                          c.verdict() == Verdict.CLEANUP
                              ? ClusterPlanner.refuse(c, ClusterReason.MAX_DELETIONS_EXCEEDED, why)
                              : c)
                  .toList();
      capped.add(
          new Plan(plan.takenAt(), plan.policy().withMaxDeletions(OptionalInt.of(max)), clusters));
    }
    return List.copyOf(capped);
  }

  /** Rule 9: a plan that deletes more than --max-deletions deletes nothing at all. */
  private List<ClusterPlan> capDeletions(List<ClusterPlan> plans) {
    if (policy.maxDeletions().isEmpty()) {
      return plans;
    }
    int max = policy.maxDeletions().getAsInt();
    int total = plans.stream().mapToInt(c -> c.deletions().size()).sum();
    if (total <= max) {
      return plans;
    }
    String why = "the plan would delete " + total + " versions, more than --max-deletions " + max;
    return plans.stream()
        .map(
            c ->
                c.verdict() == Verdict.CLEANUP
                    ? ClusterPlanner.refuse(c, ClusterReason.MAX_DELETIONS_EXCEEDED, why)
                    : c)
        .toList();
  }
}
