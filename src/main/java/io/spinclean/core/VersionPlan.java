package io.spinclean.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One version's line in the plan: what it is, what it does now, and what will happen to it.
 *
 * @param number the version number used to break creation-time ties, if any
 * @param pods pods owned by the ReplicaSet
 * @param readyPods pods whose Ready condition is True
 * @param serving pods that receive traffic from at least one of the cluster's Services
 * @param labeledNotReady pods that carry a Service selector but are not Ready (or terminating)
 * @param servedServices the Services this version has at least one serving pod for
 * @param templateEnabled the pod template carries a Service selector: new pods will take traffic
 * @param halfDisabled the template is detached but pods still serve (a Disable that broke midway)
 * @param halfEnabled the keeper, but its template or some of its live pods lack the selector (an
 *     Enable that broke midway); false for every other role
 * @param protect annotated {@code spinclean.io/protect: "true"}: never deleted
 */
public record VersionPlan(
    String name,
    String uid,
    String resourceVersion,
    Instant createdAt,
    OptionalLong number,
    int replicas,
    int pods,
    int readyPods,
    int serving,
    int labeledNotReady,
    List<String> servedServices,
    boolean templateEnabled,
    boolean halfDisabled,
    boolean halfEnabled,
    boolean protect,
    Role role,
    Action action,
    Reason reason,
    String detail) {
  public VersionPlan {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    servedServices = List.copyOf(servedServices);
    if (reason.action() != action) {
      throw new IllegalArgumentException(
          "reason " + reason + " does not justify action " + action + " for " + name);
    }
  }

  VersionPlan with(Action newAction, Reason newReason, String newDetail) {
    return new VersionPlan(
        name,
        uid,
        resourceVersion,
        createdAt,
        number,
        replicas,
        pods,
        readyPods,
        serving,
        labeledNotReady,
        servedServices,
        templateEnabled,
        halfDisabled,
        halfEnabled,
        protect,
        role,
        newAction,
        newReason,
        newDetail);
  }

  /** The same observation with a role; {@code halfEnabled} is decided with the role. */
  VersionPlan withRole(Role newRole, boolean newHalfEnabled) {
    return new VersionPlan(
        name,
        uid,
        resourceVersion,
        createdAt,
        number,
        replicas,
        pods,
        readyPods,
        serving,
        labeledNotReady,
        servedServices,
        templateEnabled,
        halfDisabled,
        newHalfEnabled,
        protect,
        newRole,
        action,
        reason,
        detail);
  }

  public boolean isServing() {
    return serving > 0;
  }
}
