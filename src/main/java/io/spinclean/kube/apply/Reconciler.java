package io.spinclean.kube.apply;

import io.spinclean.core.Action;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import io.spinclean.core.VersionPlan;
import java.util.List;
import java.util.Optional;

/**
 * Holds a deletion of the shown plan against a fresh snapshot and its plan: the {@link Target} to
 * act on only if the version is DELETE in both, with the same uid; otherwise why not (no I/O).
 */
final class Reconciler {
  private Reconciler() {}

  /**
   * Compares a shown deletion with the fresh snapshot and plan.
   *
   * @return what to act on: the version is DELETE in both plans, with the same uid
   * @throws Halt there is nothing to do, with the outcome to report
   */
  static Target reconcile(Plan.Deletion shown, Snapshot snapshot, Plan again) throws Halt {
    ClusterKey key = shown.cluster();
    VersionPlan version = shown.version();
    ReplicaSet rs =
        snapshot.replicaSets().stream()
            .filter(r -> r.namespace().equals(key.namespace()) && r.name().equals(version.name()))
            .findFirst()
            .orElseThrow(() -> new Halt(Outcome.ALREADY_GONE, "no longer exists"));
    if (!rs.uid().equals(version.uid())) {
      throw new Halt(
          Outcome.SKIPPED_CHANGED,
          "replaced since the plan: uid " + version.uid() + " is now " + rs.uid());
    }
    if (rs.terminating()) {
      throw new Halt(Outcome.ALREADY_GONE, "already being deleted");
    }
    Optional<ClusterPlan> cluster =
        again.clusters().stream().filter(c -> c.key().equals(key)).findFirst();
    VersionPlan fresh =
        cluster
            .flatMap(
                c ->
                    c.versions().stream()
                        .filter(
                            v -> v.name().equals(version.name()) && v.uid().equals(version.uid()))
                        .findFirst())
            .orElseThrow(
                () ->
                    new Halt(
                        Outcome.SKIPPED_CHANGED,
                        "no longer a version of cluster " + key + " in a fresh plan"));
    if (fresh.action() != Action.DELETE) {
      // Never the other way round: what only the fresh plan deletes was not shown to anyone.
      throw new Halt(
          Outcome.SKIPPED_CHANGED,
          "now " + fresh.action() + " (" + fresh.reason() + ") in a fresh plan: " + fresh.detail());
    }
    List<String> serviceNames = cluster.get().services();
    List<Service> services =
        snapshot.services().stream()
            .filter(s -> s.namespace().equals(key.namespace()) && serviceNames.contains(s.name()))
            .toList();
    return new Target(
        key,
        rs.name(),
        rs.uid(),
        rs.resourceVersion(),
        rs.templateLabels(),
        snapshot.pods().stream().filter(rs::owns).toList(),
        services);
  }
}
