package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One version as {@code kubectl create -f} re-creates it: an {@code apps/v1} ReplicaSet with its
 * name, namespace, labels, annotations (Spinnaker's moniker, traffic and artifact ones included),
 * finalizers and spec (replicas, selector, pod template) as read, and without what the API server
 * sets: uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, deletion
 * fields and status.
 *
 * <p>ownerReferences are dropped too: spinclean deletes only versions no controller owns, and a
 * reference to an owner that is gone would make the garbage collector delete the re-created copy at
 * once (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents).
 */
final class BackupDocument {
  private BackupDocument() {}

  static String yaml(ReplicaSet read, KubernetesSerialization serialization) {
    ReplicaSet copy = serialization.clone(read);
    copy.setApiVersion("apps/v1");
    copy.setKind("ReplicaSet");
    copy.setStatus(null);
    ObjectMeta meta = copy.getMetadata();
    meta.setUid(null);
    meta.setResourceVersion(null);
    meta.setCreationTimestamp(null);
    meta.setGeneration(null);
    meta.setManagedFields(null);
    meta.setSelfLink(null);
    meta.setDeletionTimestamp(null);
    meta.setDeletionGracePeriodSeconds(null);
    meta.setOwnerReferences(null);
    meta.setGenerateName(null);
    String yaml = serialization.asYaml(copy);
    if (!yaml.startsWith("---")) {
      yaml = "---\n" + yaml;
    }
    return yaml.endsWith("\n") ? yaml : yaml + "\n";
  }
}
