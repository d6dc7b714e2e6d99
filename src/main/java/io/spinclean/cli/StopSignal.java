package io.spinclean.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (or Ctrl-C) during {@code apply}: instead of dying between two deletes, the JVM's
 * shutdown hook asks the executor to stop and waits until the command has printed its report.
 *
 * <p>Invariant: while the hook waits, at most the delete in flight completes; every planned
 * deletion is in the printed report (the rest as not attempted). The hook waits at most {@code
 * grace}, less than Kubernetes' default terminationGracePeriodSeconds (30 s), so a Run Job pod is
 * never killed mid-report.
 */
final class StopSignal implements AutoCloseable {
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch reported = new CountDownLatch(1);
  private final Thread hook;

  private StopSignal(Duration grace) {
    hook =
        new Thread(
            () -> {
              stopping.set(true);
              try {
                reported.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "spinclean-stop");
  }

  /** Installs the hook; {@link #close} removes it. */
  static StopSignal install(Duration grace) {
    StopSignal signal = new StopSignal(grace);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** True once SIGTERM arrived: write nothing more. */
  boolean stopping() {
    return stopping.get();
  }

  /** The report is printed: the hook may let the JVM go. */
  @Override
  public void close() {
    reported.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it returns now that the report is out
    }
  }
}
