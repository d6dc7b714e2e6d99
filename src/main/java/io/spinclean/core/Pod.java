package io.spinclean.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Pod as the planner needs it.
 *
 * @param ownerUids uids named by the pod's ownerReferences
 * @param ready the Ready condition is True
 * @param terminating {@code metadata.deletionTimestamp} is set
 */
public record Pod(
    String namespace,
    String name,
    String uid,
    Set<String> ownerUids,
    Map<String, String> labels,
    boolean ready,
    boolean terminating) {
  public Pod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    ownerUids = Set.copyOf(ownerUids);
    labels = Map.copyOf(labels);
  }

  /** A Service sends traffic only to Ready pods that are not terminating (SPINNAKER.md §3). */
  public boolean receivesTraffic() {
    return ready && !terminating;
  }
}
