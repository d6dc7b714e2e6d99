package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.spinclean.kube.read.SnapshotMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lean copies {@code watch}'s informer caches keep (issue 11, item 3): of each ReplicaSet, Pod
 * and Service only what {@link SnapshotMapper} and {@link ClusterWatch}'s event handlers read, so
 * that a cached object costs a few hundred bytes instead of ~13 KiB (docs/controller.md, Sizing).
 *
 * <p>Kept: name, namespace, uid, resourceVersion, creationTimestamp, deletionTimestamp, labels and
 * ownerReferences (apiVersion, kind, name, uid, controller); of a ReplicaSet also its Spinnaker and
 * spinclean annotations ({@link SnapshotMapper#isSpinnakerKey}), {@code spec.replicas}, {@code
 * spec.selector} and the pod template's labels; of a Pod its {@code Ready} conditions (type and
 * status); of a Service {@code spec.selector}. Everything else is dropped: managedFields, every
 * other annotation (kubectl's {@code last-applied-configuration}, a copy of the whole manifest,
 * first), containers, volumes, container statuses, ports. Values are copied as read (null keys and
 * values too), so the snapshot mapped from a copy is the one mapped from the whole object
 * (LeanCacheTest); what is repeated from object to object (namespaces, label keys and values, owner
 * uids) is shared.
 *
 * <p>Deletions never use these copies: the executor plans again from a fresh read, and backs up the
 * ReplicaSet as that read returned it.
 */
final class LeanCopy {
  private LeanCopy() {}

  static ReplicaSet replicaSet(ReplicaSet rs) {
    ReplicaSet lean = new ReplicaSet();
    lean.setApiVersion(intern(rs.getApiVersion()));
    lean.setKind(intern(rs.getKind()));
    lean.setAdditionalProperties(Map.of());
    ObjectMeta meta = meta(rs.getMetadata());
    if (meta != null && rs.getMetadata().getAnnotations() != null) {
      Map<String, String> spinnaker = new HashMap<>();
      rs.getMetadata()
          .getAnnotations()
          .forEach(
              (k, v) -> {
                if (k != null && SnapshotMapper.isSpinnakerKey(k)) {
                  spinnaker.put(intern(k), v);
                }
              });
      meta.setAnnotations(compact(spinnaker));
    }
    lean.setMetadata(meta);
    ReplicaSetSpec spec = rs.getSpec();
    if (spec != null) {
      ReplicaSetSpec s = new ReplicaSetSpec();
      s.setAdditionalProperties(Map.of());
      s.setReplicas(spec.getReplicas());
      s.setSelector(selector(spec.getSelector()));
      PodTemplateSpec template = spec.getTemplate();
      if (template != null) {
        PodTemplateSpec t = new PodTemplateSpec();
        t.setAdditionalProperties(Map.of());
        if (template.getMetadata() != null) {
          ObjectMeta m = bareMeta();
          m.setLabels(strings(template.getMetadata().getLabels()));
          t.setMetadata(m);
        }
        s.setTemplate(t);
      }
      lean.setSpec(s);
    }
    return lean;
  }

  static Pod pod(Pod pod) {
    Pod lean = new Pod();
    lean.setApiVersion(intern(pod.getApiVersion()));
    lean.setKind(intern(pod.getKind()));
    lean.setAdditionalProperties(Map.of());
    lean.setMetadata(meta(pod.getMetadata()));
    PodStatus status = pod.getStatus();
    if (status != null) {
      List<PodCondition> ready = null;
      if (status.getConditions() != null) {
        for (PodCondition c : status.getConditions()) {
          if (c != null && "Ready".equals(c.getType())) {
            PodCondition kept = new PodCondition();
            kept.setAdditionalProperties(Map.of());
            kept.setType(intern(c.getType()));
            kept.setStatus(intern(c.getStatus()));
            ready = ready == null ? new ArrayList<>(1) : ready;
            ready.add(kept);
          }
        }
      }
      lean.setStatus(podStatus(ready));
    }
    return lean;
  }

  static Service service(Service service) {
    Service lean = new Service();
    lean.setApiVersion(intern(service.getApiVersion()));
    lean.setKind(intern(service.getKind()));
    lean.setAdditionalProperties(Map.of());
    lean.setMetadata(meta(service.getMetadata()));
    if (service.getSpec() != null) {
      ServiceSpec spec = new ServiceSpec();
      spec.setAdditionalProperties(Map.of());
      spec.setClusterIPs(null);
      spec.setExternalIPs(null);
      spec.setIpFamilies(null);
      spec.setLoadBalancerSourceRanges(null);
      spec.setPorts(null);
      spec.setSelector(strings(service.getSpec().getSelector()));
      lean.setSpec(spec);
    }
    return lean;
  }

  /** Identity, times, labels and owners; no annotations (a ReplicaSet adds Spinnaker's). */
  private static ObjectMeta meta(ObjectMeta meta) {
    if (meta == null) {
      return null;
    }
    ObjectMeta lean = bareMeta();
    lean.setName(meta.getName());
    lean.setNamespace(intern(meta.getNamespace()));
    lean.setUid(intern(meta.getUid()));
    lean.setResourceVersion(meta.getResourceVersion());
    lean.setCreationTimestamp(meta.getCreationTimestamp());
    lean.setDeletionTimestamp(meta.getDeletionTimestamp());
    lean.setLabels(strings(meta.getLabels()));
    if (meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()) {
      List<OwnerReference> owners = new ArrayList<>(meta.getOwnerReferences().size());
      for (OwnerReference ref : meta.getOwnerReferences()) {
        owners.add(ref == null ? null : owner(ref));
      }
      lean.setOwnerReferences(owners);
    }
    return lean;
  }

  private static OwnerReference owner(OwnerReference ref) {
    OwnerReference lean = new OwnerReference();
    lean.setAdditionalProperties(Map.of());
    lean.setApiVersion(intern(ref.getApiVersion()));
    lean.setKind(intern(ref.getKind()));
    lean.setName(ref.getName());
    lean.setUid(intern(ref.getUid()));
    lean.setController(ref.getController());
    return lean;
  }

  /** An ObjectMeta without the empty maps and lists fabric8's constructor allocates. */
  private static ObjectMeta bareMeta() {
    ObjectMeta meta = new ObjectMeta();
    meta.setAdditionalProperties(Map.of());
    meta.setAnnotations(null);
    meta.setLabels(null);
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    return meta;
  }

  private static PodStatus podStatus(List<PodCondition> conditions) {
    PodStatus status = new PodStatus();
    status.setAdditionalProperties(Map.of());
    status.setAllocatedResources(null);
    status.setConditions(conditions);
    status.setContainerStatuses(null);
    status.setEphemeralContainerStatuses(null);
    status.setHostIPs(null);
    status.setInitContainerStatuses(null);
    status.setNodeAllocatableResourceClaimStatuses(null);
    status.setPodIPs(null);
    status.setResourceClaimStatuses(null);
    status.setVolumeHealth(null);
    return status;
  }

  private static LabelSelector selector(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    LabelSelector lean = new LabelSelector();
    lean.setAdditionalProperties(Map.of());
    lean.setMatchLabels(strings(selector.getMatchLabels()));
    // Rare in Spinnaker's manifests: kept as read (the requirements are small).
    lean.setMatchExpressions(
        selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()
            ? null
            : new ArrayList<>(selector.getMatchExpressions()));
    return lean;
  }

  /** Keys and values shared; null keys and values kept (the mapper decides what they mean). */
  private static Map<String, String> strings(Map<String, String> map) {
    if (map == null) {
      return null;
    }
    Map<String, String> copy = new HashMap<>();
    map.forEach((k, v) -> copy.put(intern(k), intern(v)));
    return compact(copy);
  }

  /** An immutable map (an array, no entry objects) unless a null key or value needs a HashMap. */
  private static Map<String, String> compact(Map<String, String> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    if (map.containsKey(null) || map.containsValue(null)) {
      return map;
    }
    return Map.copyOf(map);
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
