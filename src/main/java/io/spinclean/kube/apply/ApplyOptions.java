package io.spinclean.kube.apply;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code apply} executes a plan. There is no orphan cascade: deleting a version must never
 * leave its pods running without an owner (they would keep serving traffic).
 *
 * @param drain {@code --drain}: remove the Service selector labels from a version (template, then
 *     pods, as Spinnaker's Disable does) and wait up to this long for its pods to stop serving
 *     before deleting it; empty = delete directly
 * @param cascade {@code --cascade}: the propagation policy sent with every delete
 * @param waitTimeout {@code --wait}: after deleting, wait up to this long until the deleted
 *     ReplicaSets (with {@link Cascade#FOREGROUND} also their pods) are gone; empty = do not wait
 */
public record ApplyOptions(
    Optional<Duration> drain, Cascade cascade, Optional<Duration> waitTimeout) {
  /** Delete directly, background cascade, do not wait. */
  public static final ApplyOptions DEFAULT =
      new ApplyOptions(Optional.empty(), Cascade.BACKGROUND, Optional.empty());

  public ApplyOptions {
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(cascade, "cascade");
    Objects.requireNonNull(waitTimeout, "waitTimeout");
    if (drain.isPresent() && drain.get().isNegative()) {
      throw new IllegalArgumentException("drain < 0: " + drain.get());
    }
    if (waitTimeout.isPresent() && waitTimeout.get().isNegative()) {
      throw new IllegalArgumentException("waitTimeout < 0: " + waitTimeout.get());
    }
  }

  public ApplyOptions withDrain(Duration d) {
    return new ApplyOptions(Optional.of(d), cascade, waitTimeout);
  }

  public ApplyOptions withCascade(Cascade c) {
    return new ApplyOptions(drain, c, waitTimeout);
  }

  public ApplyOptions withWait(Duration timeout) {
    return new ApplyOptions(drain, cascade, Optional.of(timeout));
  }

  /** A duration as users type it: {@code 90s} -> "1m30s", {@code 2h} -> "2h", 0 -> "0s". */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder s = new StringBuilder();
    if (d.toHours() > 0) {
      s.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      s.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      s.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      s.append(d.toMillisPart()).append("ms");
    }
    return s.toString();
  }

  /**
   * The Kubernetes propagation policy of a delete. Background: the ReplicaSet goes at once and the
   * garbage collector removes its pods; foreground: the ReplicaSet stays (with a deletionTimestamp)
   * until its pods are gone.
   */
  public enum Cascade {
    BACKGROUND("Background"),
    FOREGROUND("Foreground");

    private final String policy;

    Cascade(String policy) {
      this.policy = policy;
    }

    /** The value of {@code DeleteOptions.propagationPolicy}. */
    public String propagationPolicy() {
      return policy;
    }
  }
}
