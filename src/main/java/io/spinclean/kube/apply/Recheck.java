package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.Requests;
import io.spinclean.kube.read.SnapshotMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A version as the API server has it now, read by a list of its one name (the Role grants list, not
 * get, deploy/base/role.yaml), and checked against what apply knows of it.
 *
 * <p>After a drain, the delete must not carry the resourceVersion of the drain's own template
 * patch: that patch changed the spec, the ReplicaSet controller then writes {@code
 * status.observedGeneration}, a new resourceVersion, and the delete would fail its precondition
 * (409) on every real cluster (issue 10, item 5). So the version is read again and deleted with the
 * resourceVersion read, provided nothing but status changed since the drain: same uid, not being
 * deleted, the generation the drain left, labels, annotations, replicas and template labels as the
 * fresh snapshot had them less the removed selector keys, and still DELETE when the fresh snapshot
 * is planned again with it.
 */
final class Recheck {
  private Recheck() {}

  /**
   * The version's ReplicaSet now.
   *
   * @param when how the halt details end, e.g. "not drained, not deleted"
   * @throws Halt gone (ALREADY_GONE), replaced (SKIPPED_CHANGED), or the list failed (FAILED)
   */
  static ReplicaSet current(KubernetesClient client, Requests requests, Target target, String when)
      throws Halt {
    List<ReplicaSet> found;
    try {
      found =
          client
              .apps()
              .replicaSets()
              .inNamespace(target.namespace())
              .list(
                  new ListOptionsBuilder()
                      .withFieldSelector("metadata.name=" + target.name())
                      .build())
              .getItems();
    } catch (KubernetesClientException e) {
      throw new Halt(
          Outcome.FAILED, requests.describe("list", "replicasets", target.namespace(), e));
    }
    ReplicaSet rs =
        found.stream()
            .filter(r -> r.getMetadata() != null && target.name().equals(r.getMetadata().getName()))
            .findFirst()
            .orElseThrow(
                () ->
                    new Halt(
                        Outcome.ALREADY_GONE,
                        when.startsWith("not drained")
                            ? "deleted by someone else before the drain"
                            : "deleted by someone else after the drain"));
    if (!target.uid().equals(rs.getMetadata().getUid())) {
      throw new Halt(
          Outcome.SKIPPED_CHANGED,
          "replaced since the fresh snapshot (uid "
              + target.uid()
              + " is now "
              + rs.getMetadata().getUid()
              + "): "
              + when);
    }
    return rs;
  }

  /**
   * After a drain: the resourceVersion to delete with.
   *
   * @param shown the deletion the user was shown
   * @param snapshot the fresh snapshot the target came from
   * @throws Halt the version changed beyond the drain's own change, or is gone
   */
  static String afterDrain(
      KubernetesClient client,
      Requests requests,
      Target target,
      Drainer.Drained drained,
      Plan.Deletion shown,
      Snapshot snapshot,
      Planner planner)
      throws Halt {
    String when = "drained, not deleted";
    ReplicaSet rs = current(client, requests, target, when);
    io.spinclean.core.ReplicaSet now = SnapshotMapper.replicaSet(rs);
    if (now.terminating()) {
      throw new Halt(Outcome.ALREADY_GONE, "already being deleted");
    }
    Long generation = rs.getMetadata().getGeneration();
    if (drained.generation() != 0 && !Objects.equals(generation, drained.generation())) {
      throw new Halt(
          Outcome.SKIPPED_CHANGED,
          "its spec changed after the drain (generation "
              + drained.generation()
              + " is now "
              + generation
              + "): "
              + when);
    }
    List<io.spinclean.core.ReplicaSet> replicaSets = new ArrayList<>();
    for (io.spinclean.core.ReplicaSet r : snapshot.replicaSets()) {
      boolean it = r.namespace().equals(target.namespace()) && r.name().equals(target.name());
      if (it && !now.equals(expected(r, drained, now.resourceVersion()))) {
        throw new Halt(
            Outcome.SKIPPED_CHANGED,
            "changed since the fresh snapshot (labels, annotations, replicas or pod template): "
                + when);
      }
      replicaSets.add(it ? now : r);
    }
    Snapshot again =
        new Snapshot(snapshot.takenAt(), replicaSets, snapshot.pods(), snapshot.services());
    return Reconciler.reconcile(shown, again, planner.plan(again)).resourceVersion();
  }

  /** The fresh snapshot's version as the drain left it, at {@code resourceVersion}. */
  private static io.spinclean.core.ReplicaSet expected(
      io.spinclean.core.ReplicaSet fresh, Drainer.Drained drained, String resourceVersion) {
    return new io.spinclean.core.ReplicaSet(
        fresh.namespace(),
        fresh.name(),
        fresh.uid(),
        resourceVersion,
        fresh.createdAt(),
        fresh.controlled(),
        fresh.terminating(),
        fresh.annotations(),
        fresh.labels(),
        drained.template(),
        fresh.replicas(),
        fresh.selector());
  }
}
