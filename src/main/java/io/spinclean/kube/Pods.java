package io.spinclean.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spinclean.core.Pod;
import java.util.List;

/** The pods of one ReplicaSet, as they are now: pods whose ownerReference names its uid. */
final class Pods {
  private Pods() {}

  /** One list of the namespace's pods (never one call per pod), filtered by owner. */
  static List<Pod> ownedBy(KubernetesClient client, String namespace, String ownerUid) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .map(SnapshotMapper::pod)
        .filter(p -> p.ownerUids().contains(ownerUid))
        .toList();
  }
}
