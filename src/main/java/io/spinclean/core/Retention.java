package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule 7: given the versions oldest first and the keeper, gives every version its role and then its
 * action: KEEP for the keeper, otherwise DELETE unless the protect annotation, a {@code
 * --keep-previous} slot or {@code --min-age} retains it.
 */
final class Retention {
  private final Policy policy;
  private final Instant now;

  Retention(Policy policy, Instant now) {
    this.policy = policy;
    this.now = now;
  }

  /** Returns the decided versions, same order; adds a warning for a half-enabled keeper. */
  List<VersionPlan> decide(List<VersionPlan> versions, int keeper, List<String> warnings) {
    List<VersionPlan> out = new ArrayList<>(versions);
    VersionPlan k = Census.withRole(versions.get(keeper), Role.KEEPER);
    out.set(
        keeper,
        k.with(
            Action.KEEP,
            Reason.NEWEST_SERVING,
            "newest version serving traffic (" + pods(k.serving()) + ")"));
    if (k.halfEnabled()) {
      warnings.add(
          k.name()
              + " is the keeper but only half enabled: "
              + (k.templateEnabled() ? "some pods lack" : "its pod template lacks")
              + " the Service selector labels");
    }
    // Walk from the keeper towards the oldest so the rollback slots go to the newest versions.
    int rollbackLeft = policy.keepPrevious();
    for (int i = keeper - 1; i >= 0; i--) {
      VersionPlan v = versions.get(i);
      if (v.isServing()) {
        // Scenarios 2 and 3: a failed Enable or Disable left an old version with traffic. It is
        // never a rollback target: keeping it would keep it serving.
        out.set(
            i,
            protectOr(
                Census.withRole(v, Role.STALE_INCUMBENT),
                Reason.SUPERSEDED_SERVING,
                "older than "
                    + k.name()
                    + " and still serving ("
                    + pods(v.serving())
                    + (v.halfDisabled() ? ", template detached: a Disable broke midway" : "")
                    + ")"));
      } else if (v.protect()) {
        // A protected version does not use a --keep-previous slot: it is kept anyway.
        out.set(i, protectOr(Census.withRole(v, Role.PREVIOUS), Reason.SUPERSEDED, ""));
      } else if (rollbackLeft > 0) {
        rollbackLeft--;
        out.set(
            i,
            Census.withRole(v, Role.PREVIOUS)
                .with(
                    Action.RETAIN,
                    Reason.ROLLBACK_TARGET,
                    "rollback target kept by --keep-previous " + policy.keepPrevious()));
      } else {
        out.set(
            i,
            Census.withRole(v, Role.PREVIOUS)
                .with(
                    Action.DELETE,
                    Reason.SUPERSEDED,
                    "older than " + k.name() + ", serves no traffic"));
      }
    }
    for (int i = keeper + 1; i < versions.size(); i++) {
      VersionPlan v = Census.withRole(versions.get(i), Role.FAILED_CANDIDATE);
      if (!v.protect() && young(v)) {
        out.set(
            i,
            v.with(
                Action.RETAIN,
                Reason.TOO_YOUNG,
                "newer than "
                    + k.name()
                    + " and younger than --min-age "
                    + policy.minAge()
                    + ": a deploy may be in progress"));
      } else {
        out.set(
            i,
            protectOr(
                v,
                Reason.FAILED_CANDIDATE,
                "newer than "
                    + k.name()
                    + " but never took traffic ("
                    + v.readyPods()
                    + "/"
                    + v.pods()
                    + " pods ready)"));
      }
    }
    return out;
  }

  /**
   * --min-age 0 (the default) means no waiting: a creationTimestamp after takenAt (clock skew
   * between the API server and this machine) must not make a version "too young".
   */
  private boolean young(VersionPlan v) {
    return !policy.minAge().isZero()
        && Duration.between(v.createdAt(), now).compareTo(policy.minAge()) < 0;
  }

  private static VersionPlan protectOr(VersionPlan v, Reason reason, String detail) {
    if (v.protect()) {
      return v.with(Action.RETAIN, Reason.PROTECTED, "annotated " + Annotations.PROTECT + "=true");
    }
    return v.with(Action.DELETE, reason, detail);
  }

  private static String pods(int n) {
    return n == 1 ? "1 pod" : n + " pods";
  }
}
