package io.spinclean.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A ReplicaSet as the planner needs it.
 *
 * @param controlled an ownerReference with {@code controller: true} names another object (e.g. a
 *     Deployment): then the ReplicaSet is that controller's business, never a Spinnaker version
 * @param terminating {@code metadata.deletionTimestamp} is set
 * @param annotations {@code metadata.annotations}
 * @param labels {@code metadata.labels}
 * @param templateLabels {@code spec.template.metadata.labels}
 * @param replicas {@code spec.replicas}
 * @param selector {@code spec.selector}
 */
public record ReplicaSet(
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    Instant createdAt,
    boolean controlled,
    boolean terminating,
    Map<String, String> annotations,
    Map<String, String> labels,
    Map<String, String> templateLabels,
    int replicas,
    Selector selector) {
  public ReplicaSet {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    resourceVersion = resourceVersion == null ? "" : resourceVersion;
    createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    annotations = Map.copyOf(annotations);
    labels = Map.copyOf(labels);
    templateLabels = Map.copyOf(templateLabels);
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas < 0: " + replicas);
    }
    Objects.requireNonNull(selector, "selector");
  }

  /**
   * Rule 3: a pod is this ReplicaSet's when its controlling ownerReference names this uid and its
   * labels match {@link #selector()} (docs/spinnaker-semantics.md#traffic; an unreadable selector
   * matches nothing).
   */
  public boolean owns(Pod pod) {
    return !uid.isEmpty()
        && uid.equals(pod.controllerUid())
        && namespace.equals(pod.namespace())
        && selector.matches(pod.labels());
  }
}
