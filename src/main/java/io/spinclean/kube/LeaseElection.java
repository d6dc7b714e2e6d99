package io.spinclean.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, with fabric8's LeaderElector: only the
 * holder of the Lease may delete.
 *
 * <p>Invariant: {@link #isLeader} is true only between "started leading" and "stopped leading"; it
 * turns false as soon as the renew deadline passes without a renewal, which is before the Lease
 * expires for the others ({@code renewDeadline < leaseDuration}), so a leader that lost its Lease
 * stops acting before a stand-by can take over. Closing releases the Lease, so a stand-by takes
 * over at once on a clean shutdown, and within {@code leaseDuration} when the leader dies.
 */
public final class LeaseElection implements AutoCloseable {
  /** Kubernetes' own controllers use 15 s / 10 s / 2 s: a stand-by takes over within ~15 s. */
  public static final Timing DEFAULT_TIMING =
      new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

  private final AtomicBoolean leader = new AtomicBoolean();
  private final ExecutorService executor;
  private final CompletableFuture<?> running;

  /** How long a Lease lasts, how long the leader tries to renew it, how often everyone tries. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public Timing {
      if (renewDeadline.compareTo(leaseDuration) >= 0
          || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException(
            "need retryPeriod < renewDeadline < leaseDuration: " + this);
      }
    }
  }

  private LeaseElection(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Timing timing,
      Consumer<Boolean> onChange) {
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "spinclean-lease");
              t.setDaemon(true);
              return t;
            });
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leader.set(true);
              onChange.accept(true);
            },
            () -> {
              leader.set(false);
              onChange.accept(false);
            },
            newLeader -> {});
    LeaderElector elector =
        new LeaderElector(
            client,
            new LeaderElectionConfigBuilder()
                .withName(name)
                .withLock(new LeaseLock(namespace, name, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(callbacks)
                .build(),
            executor);
    this.running = elector.start();
  }

  /**
   * Starts campaigning for the Lease {@code namespace/name} (created if missing).
   *
   * @param identity this instance's name in the Lease, e.g. the pod name
   * @param onChange told true when this instance starts leading, false when it stops
   */
  public static LeaseElection start(
      KubeConnection connection,
      String namespace,
      String name,
      String identity,
      Timing timing,
      Consumer<Boolean> onChange) {
    return new LeaseElection(
        connection.client(),
        Objects.requireNonNull(namespace),
        Objects.requireNonNull(name),
        Objects.requireNonNull(identity),
        Objects.requireNonNull(timing),
        Objects.requireNonNull(onChange));
  }

  public boolean isLeader() {
    return leader.get();
  }

  /** Stops campaigning and, if leading, releases the Lease. */
  @Override
  public void close() {
    running.cancel(true);
    leader.set(false);
    executor.shutdown();
  }
}
