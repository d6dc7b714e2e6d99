package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.kube.read.SnapshotMapper;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns informer events into the Spinnaker clusters they touch and tells the listener about each: a
 * ReplicaSet's own (from its moniker annotations, before and after the change), a Pod's owner's
 * (through an index of ReplicaSet uid to cluster), every cluster of a Service's namespace.
 */
final class ClusterRouter {
  private final Consumer<ClusterKey> listener;
  private final Map<String, ClusterKey> clusterOfUid = new ConcurrentHashMap<>();

  ClusterRouter(Consumer<ClusterKey> listener) {
    this.listener = Objects.requireNonNull(listener);
  }

  void replicaSetChanged(ReplicaSet before, ReplicaSet after, boolean gone) {
    Set<ClusterKey> keys = new HashSet<>();
    for (ReplicaSet rs : new ReplicaSet[] {before, after}) {
      ClusterKey key = rs == null ? null : clusterOf(rs.getMetadata());
      if (key != null) {
        keys.add(key);
      }
    }
    ObjectMeta meta = after.getMetadata();
    if (meta.getUid() != null) {
      ClusterKey key = clusterOf(meta);
      if (gone || key == null) {
        clusterOfUid.remove(meta.getUid());
      } else {
        clusterOfUid.put(meta.getUid(), key);
      }
    }
    keys.forEach(listener);
  }

  void podChanged(Pod before, Pod after, boolean gone) {
    Set<ClusterKey> keys = new HashSet<>();
    for (Pod pod : new Pod[] {before, after}) {
      if (pod == null || pod.getMetadata().getOwnerReferences() == null) {
        continue;
      }
      for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
        ClusterKey key = owner.getUid() == null ? null : clusterOfUid.get(owner.getUid());
        if (key != null) {
          keys.add(key);
        }
      }
    }
    keys.forEach(listener);
  }

  void serviceChanged(Service before, Service after, boolean gone) {
    String ns = after.getMetadata().getNamespace();
    new HashSet<>(clusterOfUid.values())
        .stream().filter(k -> k.namespace().equals(ns)).forEach(listener);
  }

  /**
   * The moniker of a ReplicaSet, legacy JSON-quoted values unquoted
   * (docs/spinnaker-semantics.md#identity).
   */
  static ClusterKey clusterOf(ObjectMeta meta) {
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations == null) {
      return null;
    }
    String app = Annotations.unquote(annotations.get(Annotations.APPLICATION));
    String cluster = Annotations.unquote(annotations.get(Annotations.CLUSTER));
    if (app.isEmpty() || cluster.isEmpty()) {
      return null;
    }
    String ns = meta.getNamespace();
    return new ClusterKey(
        ns == null || ns.isEmpty() ? SnapshotMapper.DEFAULT_NAMESPACE : ns, app, cluster);
  }
}
