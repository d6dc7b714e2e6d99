package io.spinclean.render;

import java.time.Duration;

/**
 * Durations as people read them in a terminal: {@code 5d3h}, {@code 12m}, {@code 45s}. An age shows
 * its two most significant units; a policy value shows every unit, so nothing the user typed is
 * rounded away.
 */
final class HumanDuration {
  private static final long[] SECONDS = {86_400, 3_600, 60, 1};
  private static final String[] UNITS = {"d", "h", "m", "s"};

  private HumanDuration() {}

  /**
   * An age, e.g. {@code 5d3h}. A negative age (the object claims to be created after the snapshot
   * was taken: clock skew between API server and client) is shown as {@code future} rather than
   * hidden as zero.
   */
  static String age(Duration d) {
    if (d.isNegative()) {
      return "future";
    }
    long[] parts = split(d.toSeconds());
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] > 0) {
        String lead = parts[i] + UNITS[i];
        // The next unit only, and only when non-zero: "5d3h", "5d" rather than "5d0h".
        boolean next = i + 1 < parts.length && parts[i + 1] > 0;
        return next ? lead + parts[i + 1] + UNITS[i + 1] : lead;
      }
    }
    return "0s";
  }

  /** Every non-zero unit, e.g. {@code 1d5m} or {@code 0s}; sub-second parts are dropped. */
  static String exact(Duration d) {
    long[] parts = split(Math.max(0, d.toSeconds()));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] > 0) {
        out.append(parts[i]).append(UNITS[i]);
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }

  private static long[] split(long seconds) {
    long[] parts = new long[SECONDS.length];
    long rest = seconds;
    for (int i = 0; i < SECONDS.length; i++) {
      parts[i] = rest / SECONDS[i];
      rest %= SECONDS[i];
    }
    return parts;
  }
}
