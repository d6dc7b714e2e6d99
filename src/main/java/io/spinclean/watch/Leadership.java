package io.spinclean.watch;

import io.spinclean.core.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Whether this instance may act, and the deletions of the last hour that {@code
 * --max-deletions-per-hour} counts: with leader election both live on the Lease, so that a restart
 * or a new leader counts what the previous one deleted.
 *
 * <p>With leader election it is {@code kube.watch.LeaseElection}: the holder of its Lease leads,
 * and the count is kept on that Lease.
 *
 * <p>Invariant: {@link #confirmed} is asked right before each write and is never more lenient than
 * {@link #leads}.
 */
public interface Leadership {
  /** Whether this instance may act now; cheap, asked on every decision. */
  boolean leads();

  /** Asked right before each write: whether this instance still leads, possibly asking the API. */
  boolean confirmed();

  /** The deletions of (about) the last hour, by whichever instance led. */
  List<Instant> deletions() throws ApiException;

  /** Records the deletions of the last hour (this instance's and its predecessors'). */
  void recordDeletions(List<Instant> lastHour) throws ApiException;

  /** A single instance: always leads; the count lives in memory and ends with the process. */
  static Leadership alone() {
    return inMemory(() -> true);
  }

  /** Leads when {@code leads} says so; the count lives in memory (tests, no leader election). */
  static Leadership inMemory(BooleanSupplier leads) {
    Objects.requireNonNull(leads, "leads");
    return new Leadership() {
      private final List<Instant> recorded = new ArrayList<>();

      @Override
      public boolean leads() {
        return leads.getAsBoolean();
      }

      @Override
      public boolean confirmed() {
        return leads.getAsBoolean();
      }

      @Override
      public synchronized List<Instant> deletions() {
        return List.copyOf(recorded);
      }

      @Override
      public synchronized void recordDeletions(List<Instant> lastHour) {
        recorded.clear();
        recorded.addAll(lastHour);
      }
    };
  }
}
