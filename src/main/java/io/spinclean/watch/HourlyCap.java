package io.spinclean.watch;

import io.spinclean.core.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code --max-deletions-per-hour}: the deletions of the last hour are those {@link Leadership}
 * keeps (on the Lease with leader election), so a restart or a new leader counts them too.
 *
 * <p>Invariant: without a cap nothing is read or written; with one, a count that cannot be read is
 * an error, never zero.
 */
final class HourlyCap {
  static final Duration HOUR = Duration.ofHours(1);

  private final OptionalInt max;
  private final Leadership leadership;

  HourlyCap(OptionalInt max, Leadership leadership) {
    this.max = max;
    this.leadership = leadership;
  }

  /** Whether {@code planned} more deletions now would make more than the cap in the last hour. */
  boolean exceeded(int planned, Instant now) throws ApiException {
    return max.isPresent() && lastHour(now).size() + planned > max.getAsInt();
  }

  /** Adds deletions made at {@code deletedAt} to the count. */
  void record(List<Instant> deletedAt, Instant now) throws ApiException {
    if (max.isEmpty() || deletedAt.isEmpty()) {
      return;
    }
    List<Instant> all = new ArrayList<>(lastHour(now));
    all.addAll(deletedAt);
    leadership.recordDeletions(all);
  }

  private List<Instant> lastHour(Instant now) throws ApiException {
    Instant start = now.minus(HOUR);
    return leadership.deletions().stream().filter(t -> t.isAfter(start)).sorted().toList();
  }
}
