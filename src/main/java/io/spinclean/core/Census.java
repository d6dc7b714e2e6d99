package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.core.spinnaker.VersionNumber;
import java.util.List;
import java.util.TreeSet;

/**
 * Rules 3 and 4: what one version's pods do right now, before any role or policy applies. A pod
 * serves when it is Ready, not terminating, and its labels contain the whole non-empty selector of
 * one of the cluster's existing Services (docs/spinnaker-semantics.md#traffic: those pods are the
 * Service's endpoints).
 */
final class Census {
  private Census() {}

  /**
   * Observes {@code rs} with its pods (rule 3: {@link ReplicaSet#owns}, those whose controlling
   * ownerReference names its uid and whose labels match its selector). The result has role
   * UNCLASSIFIED and a placeholder action; {@code halfEnabled} holds the candidate flag that {@link
   * #withRole} keeps only for a keeper.
   */
  static VersionPlan observe(ReplicaSet rs, List<Pod> pods, List<Service> services) {
    int ready = 0;
    int serving = 0;
    int labeledNotReady = 0;
    int unlabeledLive = 0;
    TreeSet<String> served = new TreeSet<>();
    for (Pod pod : pods) {
      if (pod.ready()) {
        ready++;
      }
      boolean labeled = false;
      for (Service svc : services) {
        if (svc.selects(pod.labels())) {
          labeled = true;
          if (pod.receivesTraffic()) {
            served.add(svc.name());
          }
        }
      }
      if (labeled && pod.receivesTraffic()) {
        serving++;
      } else if (labeled) {
        labeledNotReady++;
      } else if (!pod.terminating()) {
        unlabeledLive++;
      }
    }
    boolean templateEnabled = services.stream().anyMatch(s -> s.selects(rs.templateLabels()));
    boolean protect =
        "true".equalsIgnoreCase(Annotations.unquote(rs.annotations().get(Annotations.PROTECT)));
    return new VersionPlan(
        rs.name(),
        rs.uid(),
        rs.resourceVersion(),
        rs.createdAt(),
        VersionNumber.of(rs.name(), rs.annotations(), rs.labels()),
        rs.replicas(),
        pods.size(),
        ready,
        serving,
        labeledNotReady,
        List.copyOf(served),
        templateEnabled,
        // Spinnaker's Disable detaches the template first, then pod after pod
        // (docs/spinnaker-semantics.md#traffic).
        !templateEnabled && serving > 0,
        !templateEnabled || unlabeledLive > 0,
        protect,
        Role.UNCLASSIFIED,
        Action.RETAIN,
        Reason.CLUSTER_REFUSED,
        "");
  }

  /**
   * Sets the role. Only a keeper can be half enabled: its template or a live (not terminating) pod
   * lacks the Service selector, which is what an Enable that broke midway leaves, since it patches
   * the template first and then pod after pod (docs/spinnaker-semantics.md#traffic).
   */
  static VersionPlan withRole(VersionPlan v, Role role) {
    return v.withRole(role, role == Role.KEEPER && v.halfEnabled());
  }
}
