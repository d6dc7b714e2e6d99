package io.spinclean.watch;

import io.spinclean.core.Policy;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How the controller decides when to act.
 *
 * @param policy the user's selection and policy, as for {@code plan}; each cluster is planned with
 *     it, restricted to that cluster
 * @param settle a cluster is acted on only after no event touched it for this long
 * @param confirmations ... and after this many consecutive settled evaluations planned the same
 *     deletions (by uid)
 * @param dryRun report, never delete
 * @param maxDeletionsPerHour refuse a cluster whose deletions would exceed this many in the last
 *     hour; empty = no cap
 * @param tick how often settled clusters with pending work are evaluated again (no event arrives
 *     once things are quiet)
 * @param actionsPerSecond at most this many actions (a fresh read of three lists, then deletes) per
 *     second
 */
public record WatchSettings(
    Policy policy,
    Duration settle,
    int confirmations,
    boolean dryRun,
    OptionalInt maxDeletionsPerHour,
    Duration tick,
    double actionsPerSecond) {
  /**
   * Two actions a second: each is three lists and a few deletes, far below what an API server
   * notices, and still a whole backlog of failed clusters cleaned within minutes.
   */
  public static final double DEFAULT_ACTIONS_PER_SECOND = 2;

  public WatchSettings {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(maxDeletionsPerHour, "maxDeletionsPerHour");
    Objects.requireNonNull(tick, "tick");
    if (settle.isNegative()) {
      throw new IllegalArgumentException("settle < 0: " + settle);
    }
    if (confirmations < 1) {
      throw new IllegalArgumentException("confirmations < 1: " + confirmations);
    }
    if (maxDeletionsPerHour.isPresent() && maxDeletionsPerHour.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "maxDeletionsPerHour < 0: " + maxDeletionsPerHour.getAsInt());
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick <= 0: " + tick);
    }
    if (!(actionsPerSecond > 0) || Double.isInfinite(actionsPerSecond)) {
      throw new IllegalArgumentException("actionsPerSecond not > 0: " + actionsPerSecond);
    }
  }

  /** With {@link #DEFAULT_ACTIONS_PER_SECOND}. */
  public WatchSettings(
      Policy policy,
      Duration settle,
      int confirmations,
      boolean dryRun,
      OptionalInt maxDeletionsPerHour,
      Duration tick) {
    this(
        policy,
        settle,
        confirmations,
        dryRun,
        maxDeletionsPerHour,
        tick,
        DEFAULT_ACTIONS_PER_SECOND);
  }

  /** The tick the command line uses: a quarter of the settle period, between 1 s and 30 s. */
  public static Duration defaultTick(Duration settle) {
    Duration quarter = settle.dividedBy(4);
    if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return quarter.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : quarter;
  }
}
