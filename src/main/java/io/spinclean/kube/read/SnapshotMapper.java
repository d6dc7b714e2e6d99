package io.spinclean.kube.read;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fabric8 objects to the core records, keeping only what the planner reads: a snapshot may hold
 * 10,000 ReplicaSets and 50,000 pods, so the fabric8 objects are dropped as soon as they are
 * mapped. Both readers (dump files and the live API) and the executor map through here, so they
 * agree on what "ready", "controlled" and "terminating" mean.
 *
 * <p>Missing maps and lists are empty; a missing namespace is {@code default} (kubectl's).
 *
 * <p>Every method throws IllegalArgumentException when a field cannot be understood; the message
 * names the field and the value (e.g. {@code metadata.creationTimestamp is not an RFC 3339 time:
 * "yesterday"}) and the caller adds where the object came from
 */
public final class SnapshotMapper {
  public static final String DEFAULT_NAMESPACE = "default";

  private SnapshotMapper() {}

  public static ReplicaSet replicaSet(io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
    ObjectMeta meta = meta(rs.getMetadata());
    ReplicaSetSpec spec = rs.getSpec();
    // spec.replicas defaults to 1 in the API server when it is left out.
    int replicas = spec == null || spec.getReplicas() == null ? 1 : spec.getReplicas();
    if (replicas < 0) {
      throw new IllegalArgumentException("spec.replicas is negative: " + replicas);
    }
    PodTemplateSpec template = spec == null ? null : spec.getTemplate();
    Map<String, String> templateLabels =
        template == null || template.getMetadata() == null
            ? Map.of()
            : strings(template.getMetadata().getLabels());
    return new ReplicaSet(
        namespace(meta),
        meta.getName(),
        meta.getUid(),
        meta.getResourceVersion(),
        createdAt(meta),
        controlled(meta.getOwnerReferences()),
        meta.getDeletionTimestamp() != null,
        spinnakerAnnotations(meta.getAnnotations()),
        strings(meta.getLabels()),
        templateLabels,
        replicas,
        selector(spec == null ? null : spec.getSelector()));
  }

  public static Pod pod(io.fabric8.kubernetes.api.model.Pod pod) {
    ObjectMeta meta = meta(pod.getMetadata());
    return new Pod(
        namespace(meta),
        meta.getName(),
        meta.getUid(),
        controllerUid(meta.getOwnerReferences()),
        strings(meta.getLabels()),
        ready(pod.getStatus()),
        meta.getDeletionTimestamp() != null);
  }

  public static Service service(io.fabric8.kubernetes.api.model.Service service) {
    ObjectMeta meta = meta(service.getMetadata());
    ServiceSpec spec = service.getSpec();
    return new Service(
        namespace(meta), meta.getName(), spec == null ? Map.of() : strings(spec.getSelector()));
  }

  /** The Ready condition is True (kubectl's READY column counts containers; Services use this). */
  static boolean ready(PodStatus status) {
    if (status == null) {
      return false;
    }
    for (PodCondition c : list(status.getConditions())) {
      if (c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  /** The creation time as the streaming read takes it ({@link ObjectTypes#createdAt}). */
  static Instant createdAt(ObjectMeta meta) {
    return ObjectTypes.createdAt(meta.getCreationTimestamp());
  }

  /**
   * {@code spec.selector} as written. Nothing is dropped: a missing selector has no term and a
   * requirement that cannot be read is kept as it is, so that the planner refuses its cluster
   * (Selector's invariant); a null label value is the empty string, as the API server reads it.
   */
  static Selector selector(LabelSelector selector) {
    if (selector == null) {
      return Selector.of(Map.of());
    }
    Map<String, String> matchLabels = new HashMap<>();
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach((k, v) -> matchLabels.put(k == null ? "" : k, v == null ? "" : v));
    }
    List<Selector.Requirement> expressions = new ArrayList<>();
    for (LabelSelectorRequirement r : list(selector.getMatchExpressions())) {
      if (r == null) {
        expressions.add(new Selector.Requirement("", "", List.of()));
        continue;
      }
      List<String> values = new ArrayList<>();
      list(r.getValues()).forEach(v -> values.add(v == null ? "" : v));
      expressions.add(new Selector.Requirement(r.getKey(), r.getOperator(), values));
    }
    return new Selector(matchLabels, expressions);
  }

  /**
   * The uid of the pod's controlling ownerReference ({@code controller: true}), or empty. Only the
   * controller makes a pod a ReplicaSet's (rule 3 in docs/decisions.md): any other ownerReference
   * can name any uid. The API server allows one controller; a dump with more is refused.
   */
  private static String controllerUid(List<OwnerReference> owners) {
    List<String> controllers = new ArrayList<>();
    for (OwnerReference ref : list(owners)) {
      if (ref != null && Boolean.TRUE.equals(ref.getController())) {
        controllers.add(ref.getUid());
      }
    }
    return ObjectTypes.controllerUid(controllers); // the one copy of the rule and its messages
  }

  /** An owner with {@code controller: true} (e.g. a Deployment) manages the ReplicaSet. */
  private static boolean controlled(List<OwnerReference> owners) {
    for (OwnerReference ref : list(owners)) {
      if (ref != null && Boolean.TRUE.equals(ref.getController())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Only the annotations of Spinnaker's and spinclean's own domains are read by the planner
   * (docs/spinnaker-semantics.md#identity). The others are dropped: Spinnaker deploys with kubectl
   * apply, so every version also carries {@code kubectl.kubernetes.io/last-applied-configuration},
   * a copy of its whole manifest, and keeping thousands of those would dwarf the rest of the
   * snapshot.
   */
  private static Map<String, String> spinnakerAnnotations(Map<String, String> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, String> kept = new HashMap<>();
    annotations.forEach(
        (key, value) -> {
          if (key != null && value != null && isSpinnakerKey(key)) {
            kept.put(key, value);
          }
        });
    return kept;
  }

  /**
   * Whether the planner reads an annotation of this key: the one rule of {@link
   * ObjectTypes#isSpinnakerKey}, for the callers that hold fabric8 objects.
   */
  public static boolean isSpinnakerKey(String key) {
    return ObjectTypes.isSpinnakerKey(key);
  }

  private static ObjectMeta meta(ObjectMeta meta) {
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      throw new IllegalArgumentException("metadata.name is missing");
    }
    return meta;
  }

  private static String namespace(ObjectMeta meta) {
    String ns = meta.getNamespace();
    return ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
  }

  /** Null-safe copy that also drops null keys and values, which the records do not allow. */
  private static Map<String, String> strings(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new HashMap<>();
    map.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            copy.put(k, v);
          }
        });
    return copy;
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
