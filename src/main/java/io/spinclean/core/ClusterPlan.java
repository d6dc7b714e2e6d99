package io.spinclean.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan for one Spinnaker cluster: a verdict with its reason, and every version, oldest first,
 * each with an action and a reason.
 *
 * @param services the Services named by the traffic annotation that exist
 * @param missingServices Services named by the traffic annotation that do not exist (ignored)
 * @param warnings things a human should look at that do not change the plan
 */
public record ClusterPlan(
    ClusterKey key,
    Verdict verdict,
    ClusterReason reason,
    String detail,
    Optional<String> keep,
    List<String> services,
    List<String> missingServices,
    List<VersionPlan> versions,
    List<String> warnings) {
  public ClusterPlan {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(keep, "keep");
    services = List.copyOf(services);
    missingServices = List.copyOf(missingServices);
    versions = List.copyOf(versions);
    warnings = List.copyOf(warnings);
    if (reason.verdict() != verdict) {
      throw new IllegalArgumentException(
          "reason " + reason + " does not justify verdict " + verdict + " for " + key);
    }
    boolean deletes = versions.stream().anyMatch(v -> v.action() == Action.DELETE);
    if (deletes != (verdict == Verdict.CLEANUP)) {
      throw new IllegalArgumentException(
          "verdict " + verdict + " with deletions=" + deletes + " for " + key);
    }
  }

  public List<VersionPlan> deletions() {
    return versions.stream().filter(v -> v.action() == Action.DELETE).toList();
  }
}
