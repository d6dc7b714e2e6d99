package io.spinclean.kube.watch;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.apply.ApplyOptions;
import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.apply.Executor;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.watch.Controller;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.RateLimiter;
import io.spinclean.watch.Reporter;
import io.spinclean.watch.WatchLoop;
import io.spinclean.watch.WatchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code spinclean watch} assembled: informers feed a {@link WatchLoop}, whose {@link Controller}
 * plans from the informer caches and acts through the same {@link Executor} as {@code apply} (a
 * fresh live read of the cluster's namespace, re-plan, preconditioned deletes).
 *
 * <p>Invariant: after {@link #close} returns, no evaluation runs and no informer watches.
 */
public final class Watcher implements AutoCloseable {
  private final ClusterWatch informers;
  private final WatchLoop loop;
  private final AtomicBoolean stopping;

  private Watcher(ClusterWatch informers, WatchLoop loop, AtomicBoolean stopping) {
    this.informers = informers;
    this.loop = loop;
    this.stopping = stopping;
  }

  /**
   * Starts the informers (waiting for their first list) and the worker.
   *
   * @param leadership whether this instance may act now ({@link Leadership#alone()} without leader
   *     election), asked again right before each delete
   * @param onError told about an unexpected exception in an evaluation (a bug)
   * @param warn told about what could not be done (a failed fresh read, informers not watching)
   * @throws ApiException the informers could not list or watch
   */
  public static Watcher start(
      KubeConnection connection,
      Scope scope,
      WatchSettings settings,
      Clock clock,
      Metrics metrics,
      Reporter reporter,
      Leadership leadership,
      Consumer<RuntimeException> onError,
      Consumer<String> warn)
      throws ApiException {
    return start(
        connection,
        scope,
        settings,
        clock,
        metrics,
        reporter,
        leadership,
        onError,
        warn,
        ns -> Backup.off());
  }

  /**
   * As above, writing each version to {@code backups.apply(namespace)} (one per batch, closed after
   * it) before its DELETE (issue 12).
   */
  public static Watcher start(
      KubeConnection connection,
      Scope scope,
      WatchSettings settings,
      Clock clock,
      Metrics metrics,
      Reporter reporter,
      Leadership leadership,
      Consumer<RuntimeException> onError,
      Consumer<String> warn,
      Function<String, Backup> backups)
      throws ApiException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(backups, "backups");
    ClusterWatch[] informers = new ClusterWatch[1];
    RateLimiter limiter = new RateLimiter(settings.actionsPerSecond());
    // Set first thing on stop: the batch in flight writes nothing more and reports the rest.
    AtomicBoolean stopping = new AtomicBoolean();
    Controller.Cache cache =
        new Controller.Cache() {
          @Override
          public Snapshot snapshot(String namespace) throws ApiException {
            return informers[0].snapshot(namespace);
          }

          @Override
          public Optional<Instant> watchingSince(String namespace) {
            return informers[0].watchingSince(namespace);
          }

          @Override
          public Instant outageEnd(String namespace) {
            return informers[0].outageEnd(namespace);
          }
        };
    Controller controller =
        new Controller(
            settings,
            cache,
            (plan, planner) -> {
              acquire(limiter);
              String ns = plan.clusters().get(0).key().namespace();
              AtomicBoolean lost = new AtomicBoolean();
              // Asked before the fresh read and right before each delete: a stop, or a Lease that
              // this instance no longer holds, ends the batch (the rest NOT_ATTEMPTED).
              BooleanSupplier halt =
                  () -> {
                    if (stopping.get()) {
                      return true;
                    }
                    if (!leadership.confirmed()) {
                      lost.set(true);
                      return true;
                    }
                    return false;
                  };
              ApplyReport report;
              try (Backup backup = backups.apply(ns)) {
                report =
                    Executor.create(
                            connection,
                            LiveReader.source(connection, Scope.of(ns), clock),
                            planner,
                            ApplyOptions.DEFAULT,
                            halt)
                        .backingUpTo(backup)
                        .execute(plan);
              } catch (IOException e) {
                throw new UncheckedIOException("closing the backup bundle", e);
              }
              if (lost.get()) {
                warn.accept(
                    "no longer leading: the rest of the deletions in "
                        + plan.clusters().get(0).key()
                        + " were not attempted");
              }
              return report;
            },
            leadership,
            clock,
            metrics,
            reporter,
            warn);
    WatchLoop loop = new WatchLoop(controller, onError);
    try {
      informers[0] = ClusterWatch.start(connection, scope, clock, loop::changed, warn);
    } catch (ApiException | RuntimeException e) {
      loop.stop(Duration.ZERO);
      throw e;
    }
    loop.start(settings.tick());
    return new Watcher(informers[0], loop, stopping);
  }

  /** Waits for a slot of {@code limiter}; an interrupt (shutdown) is an error: nothing written. */
  public static void acquire(RateLimiter limiter) throws ApiException {
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted (shutting down) before calling the API server", e);
    }
  }

  /** For readiness: every informer is watching. */
  public boolean watching() {
    return informers.watching();
  }

  /** The cluster being evaluated now, if any: what a stop that timed out left running. */
  public Optional<ClusterKey> inProgress() {
    return loop.inProgress();
  }

  /**
   * Stops the informers, then lets the evaluation in progress finish within {@code grace}: its
   * request in flight ends without retries, and the deletions it had not started are reported
   * NOT_ATTEMPTED.
   *
   * @return true when nothing was left running
   */
  public boolean stop(Duration grace) {
    stopping.set(true);
    informers.close();
    return loop.stop(grace);
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
