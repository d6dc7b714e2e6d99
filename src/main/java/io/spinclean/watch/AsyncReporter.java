package io.spinclean.watch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands decisions to a slow reporter (Events, webhook) on its own thread, so the controller never
 * waits for it. Invariant: {@link #report} never blocks; when {@value #CAPACITY} decisions are
 * already waiting, the new one is dropped and {@code onDrop} is told.
 */
public final class AsyncReporter implements Reporter, AutoCloseable {
  static final int CAPACITY = 100;

  private final ThreadPoolExecutor executor;
  private final Reporter delegate;

  public AsyncReporter(String name, Reporter delegate, Consumer<Decision> onDrop) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(onDrop, "onDrop");
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(CAPACITY),
            r -> {
              Thread t = new Thread(r, "spinclean-" + name);
              t.setDaemon(true);
              return t;
            },
            (r, e) -> {
              if (r instanceof Task task) {
                onDrop.accept(task.decision());
              }
            });
    this.delegate = delegate;
  }

  private record Task(Reporter delegate, Decision decision) implements Runnable {
    @Override
    public void run() {
      delegate.report(decision);
    }
  }

  @Override
  public void report(Decision decision) {
    if (!executor.isShutdown()) {
      executor.execute(new Task(delegate, decision));
    }
  }

  /** Delivers what is queued for at most {@code grace}, then interrupts and drops the rest. */
  public void stop(Duration grace) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
