package io.spinclean.watch;

import io.spinclean.core.ClusterKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives a {@link Controller} from one worker thread: a work queue of cluster keys (a key queued
 * twice is evaluated once), filled by informer events and, every tick, by the clusters whose
 * decision is still pending.
 *
 * <p>Invariant: evaluations never run concurrently, so two deletions of the same cluster cannot
 * overlap; {@link #stop} lets the evaluation in progress (and its deletions) finish before it
 * returns, up to a grace period.
 */
public final class WatchLoop implements AutoCloseable {
  private final Controller controller;
  private final Consumer<RuntimeException> onError;
  private final ScheduledExecutorService worker;
  private final Set<ClusterKey> queue = new LinkedHashSet<>();
  private volatile boolean started;
  private volatile ClusterKey inProgress;

  /** The periodic re-evaluation; kept so that it is not a fire-and-forget future. */
  private volatile ScheduledFuture<?> ticking;

  /**
   * @param onError told about a bug in an evaluation; the loop goes on with the next key
   */
  public WatchLoop(Controller controller, Consumer<RuntimeException> onError) {
    this.controller = Objects.requireNonNull(controller, "controller");
    this.onError = Objects.requireNonNull(onError, "onError");
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spinclean-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts evaluating what was queued so far, and the periodic re-evaluation. */
  public void start(Duration tick) {
    started = true;
    worker.execute(this::drain);
    long millis = tick.toMillis();
    ticking = worker.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** An informer event touched {@code key}. Any thread; never blocks on an evaluation. */
  public void changed(ClusterKey key) {
    if (!controller.selects(key)) {
      return;
    }
    controller.changed(key);
    enqueue(Set.of(key));
  }

  private void tick() {
    // An exception escaping here would cancel every later tick, silently: report it instead.
    try {
      enqueue(controller.pending());
    } catch (RuntimeException e) {
      onError.accept(e);
    }
  }

  private void enqueue(Set<ClusterKey> keys) {
    boolean wasEmpty;
    synchronized (queue) {
      wasEmpty = queue.isEmpty();
      queue.addAll(keys);
      if (!wasEmpty || queue.isEmpty()) {
        return;
      }
    }
    if (started && !worker.isShutdown()) {
      worker.execute(this::drain);
    }
  }

  private void drain() {
    while (!Thread.currentThread().isInterrupted()) {
      ClusterKey key;
      synchronized (queue) {
        Iterator<ClusterKey> it = queue.iterator();
        if (!it.hasNext()) {
          return;
        }
        key = it.next();
        it.remove();
      }
      inProgress = key;
      try {
        controller.evaluate(key);
      } catch (RuntimeException e) {
        onError.accept(e);
      } finally {
        inProgress = null;
      }
    }
  }

  /** The cluster being evaluated now, if any: what a stop that timed out left running. */
  public Optional<ClusterKey> inProgress() {
    return Optional.ofNullable(inProgress);
  }

  /**
   * Stops taking work and waits up to {@code grace} for the evaluation in progress.
   *
   * @return true when nothing was left running
   */
  public boolean stop(Duration grace) {
    ScheduledFuture<?> t = ticking;
    if (t != null) {
      t.cancel(false);
    }
    worker.shutdown();
    synchronized (queue) {
      queue.clear();
    }
    try {
      return worker.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
