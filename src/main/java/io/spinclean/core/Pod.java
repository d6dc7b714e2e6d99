package io.spinclean.core;

import java.util.Map;
import java.util.Objects;

/**
 * A Pod as the planner needs it.
 *
 * @param controllerUid the uid named by the pod's controlling ownerReference ({@code controller:
 *     true}; Kubernetes allows at most one), empty when it has none. Other ownerReferences are not
 *     kept: anyone who may create pods can name any uid in one (rule 3 in docs/decisions.md)
 * @param ready the Ready condition is True
 * @param terminating {@code metadata.deletionTimestamp} is set
 */
public record Pod(
    String namespace,
    String name,
    String uid,
    String controllerUid,
    Map<String, String> labels,
    boolean ready,
    boolean terminating) {
  public Pod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    controllerUid = controllerUid == null ? "" : controllerUid;
    labels = Map.copyOf(labels);
  }

  /**
   * A Service sends traffic only to Ready pods that are not terminating
   * (docs/spinnaker-semantics.md#traffic).
   */
  public boolean receivesTraffic() {
    return ready && !terminating;
  }
}
