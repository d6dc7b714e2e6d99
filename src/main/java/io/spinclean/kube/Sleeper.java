package io.spinclean.kube;

import java.time.Duration;
import java.time.Instant;

/**
 * The executor's only clock and its only way to pause. Every wait in {@code apply} (retry delays,
 * {@code --drain}, {@code --wait}) is bounded by {@link #now()} and paced by {@link #sleep}, so
 * tests drive time with a fake instead of sleeping.
 */
public interface Sleeper {
  Instant now();

  void sleep(Duration duration) throws InterruptedException;

  /** Wall-clock time and {@link Thread#sleep}. */
  Sleeper SYSTEM =
      new Sleeper() {
        @Override
        public Instant now() {
          return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
          }
        }
      };
}
