package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A minimal live reader for the executor's tests, until kread's LiveReader lands: one list each of
 * ReplicaSets, Pods and Services per namespace, mapped to the core records.
 */
final class ApplySnapshotReader implements SnapshotSource {
  private final KubernetesClient client;
  private final List<String> namespaces;

  ApplySnapshotReader(KubernetesClient client, String... namespaces) {
    this.client = client;
    this.namespaces = List.of(namespaces);
  }

  @Override
  public Snapshot read() {
    List<ReplicaSet> replicaSets = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    for (String namespace : namespaces) {
      client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
          .map(ApplySnapshotReader::toCore).forEach(replicaSets::add);
      client.pods().inNamespace(namespace).list().getItems().stream()
          .map(Pods::toCore).forEach(pods::add);
      client.services().inNamespace(namespace).list().getItems().stream()
          .map(s -> new Service(s.getMetadata().getNamespace(), s.getMetadata().getName(),
              orEmpty(s.getSpec().getSelector())))
          .forEach(services::add);
    }
    return new Snapshot(Instant.now(), replicaSets, pods, services);
  }

  private static ReplicaSet toCore(io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
    var meta = rs.getMetadata();
    List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of()
        : meta.getOwnerReferences();
    var template = rs.getSpec().getTemplate();
    Map<String, String> templateLabels = template == null || template.getMetadata() == null
        ? Map.of() : orEmpty(template.getMetadata().getLabels());
    return new ReplicaSet(meta.getNamespace(), meta.getName(), meta.getUid(),
        meta.getResourceVersion(), Instant.parse(meta.getCreationTimestamp()),
        owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController())),
        meta.getDeletionTimestamp() != null, orEmpty(meta.getAnnotations()),
        orEmpty(meta.getLabels()), templateLabels,
        rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas());
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
