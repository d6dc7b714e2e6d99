package io.spinclean.watch;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Spaces the controller's own API work: {@link #acquire} returns at most {@code perSecond} times
 * per second, waiting as long as needed, with a burst of one. Used for actions (each one fresh read
 * of three lists, then its deletes) and for Event creations, so that a storm of failed deploys
 * cannot turn the controller into a load on the API server.
 */
public final class RateLimiter {
  /** Waits; in tests, records instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  public RateLimiter(double perSecond) {
    this(perSecond, System::nanoTime, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
  }

  RateLimiter(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond <= 0: " + perSecond);
    }
    this.intervalNanos = (long) (1_000_000_000L / perSecond);
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Waits for the next slot. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      long slot = next == Long.MIN_VALUE || next - now < 0 ? now : next;
      next = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }
}
