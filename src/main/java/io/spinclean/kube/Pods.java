package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spinclean.core.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The pods of one ReplicaSet, as they are now: pods whose ownerReference names its uid. */
final class Pods {
  private Pods() {}

  /** One list of the namespace's pods (never one call per pod), filtered by owner. */
  static List<Pod> ownedBy(KubernetesClient client, String namespace, String ownerUid) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .map(Pods::toCore)
        .filter(p -> p.ownerUids().contains(ownerUid))
        .toList();
  }

  // TODO(kapply): use kread's SnapshotMapper once it lands, so both readers agree on "ready".
  static Pod toCore(io.fabric8.kubernetes.api.model.Pod pod) {
    var meta = pod.getMetadata();
    Set<String> owners = meta.getOwnerReferences() == null ? Set.of()
        : meta.getOwnerReferences().stream().map(OwnerReference::getUid)
            .filter(Objects::nonNull).collect(Collectors.toSet());
    List<PodCondition> conditions = pod.getStatus() == null
        || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    boolean ready = conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    return new Pod(meta.getNamespace(), meta.getName(), meta.getUid(), owners, labels, ready,
        meta.getDeletionTimestamp() != null);
  }
}
