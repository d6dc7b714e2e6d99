package io.spinclean.kube.apply;

import io.spinclean.kube.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake {@link Sleeper}: sleeping advances a virtual clock at once and is recorded, and a test may
 * change the cluster at each sleep (what happens "meanwhile").
 */
final class ApplyClock implements Sleeper {
  /** What happens while the executor sleeps; {@code n} counts sleeps from 1. */
  @FunctionalInterface
  interface Meanwhile {
    void run(int n) throws Exception;
  }

  private Instant now = Instant.parse("2026-11-26T12:00:00Z");
  private final List<Duration> sleeps = new ArrayList<>();
  private Meanwhile meanwhile = n -> {};

  synchronized void meanwhile(Meanwhile action) {
    this.meanwhile = action;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    int n;
    Meanwhile action;
    synchronized (this) {
      sleeps.add(duration);
      now = now.plus(duration);
      n = sleeps.size();
      action = meanwhile;
    }
    try {
      action.run(n);
    } catch (RuntimeException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  synchronized Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
