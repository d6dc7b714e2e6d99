package io.spinclean.kube.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import io.spinclean.core.ApiException;
import io.spinclean.kube.KubeConnection;
import io.spinclean.watch.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, with fabric8's LeaderElector: only the
 * holder of the Lease may delete. The Lease also carries the deletions of the last hour ({@value
 * #DELETIONS}), so that {@code --max-deletions-per-hour} survives restarts and leader changes.
 *
 * <p>Invariant: {@link #isLeader} is true only between "started leading" and "stopped leading" and
 * while the last renewal this instance made is younger than the renew deadline, which passes before
 * the Lease expires for the others ({@code renewDeadline < leaseDuration}), so a leader that lost
 * its Lease stops acting before a stand-by can take over, even if fabric8's elector has not noticed
 * yet; {@link #confirmLeader} also reads the Lease. Closing releases the Lease, so a stand-by takes
 * over at once on a clean shutdown, and within {@code leaseDuration} when the leader dies.
 */
public final class LeaseElection implements Leadership, AutoCloseable {
  /** Kubernetes' own controllers use 15 s / 10 s / 2 s: a stand-by takes over within ~15 s. */
  public static final Timing DEFAULT_TIMING =
      new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

  /** The Lease annotation with the deletions of the last hour: instants, comma-separated. */
  public static final String DELETIONS = "spinclean.io/deletions-last-hour";

  private final AtomicBoolean leader = new AtomicBoolean();
  private final ExecutorService executor;
  private final CompletableFuture<?> running;
  private final LeaseLedger ledger;
  private final Duration renewDeadline;

  /** System.nanoTime() when the last renewal that this instance won was sent. */
  private volatile long renewedAt;

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
    this.ledger = new LeaseLedger(client, namespace, name, identity);
    this.renewDeadline = timing.renewDeadline();
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
              ledger.forget(); // read again from the Lease: the last leader may have deleted
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
                .withLock(new Renewals(new LeaseLock(namespace, name, identity)))
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

  /** Leading, and the last renewal was sent less than the renew deadline ago. */
  public boolean isLeader() {
    return leader.get() && System.nanoTime() - renewedAt < renewDeadline.toNanos();
  }

  /**
   * Right before a write: {@link #isLeader}, and the Lease, read now, still names this instance
   * (another one may have taken it over while this one was paused). Unreadable: not leading.
   */
  public boolean confirmLeader() {
    return isLeader() && ledger.holds() && isLeader();
  }

  /** {@link Leadership}: the holder of this election's Lease leads. */
  @Override
  public boolean leads() {
    return isLeader();
  }

  /** {@link Leadership}: {@link #confirmLeader}. */
  @Override
  public boolean confirmed() {
    return confirmLeader();
  }

  /** The deletions of the last hour recorded on the Lease (read once per leadership). */
  @Override
  public List<Instant> deletions() throws ApiException {
    return ledger.deletions();
  }

  /** Writes the deletions of the last hour to the Lease, if this instance still holds it. */
  @Override
  public void recordDeletions(List<Instant> lastHour) throws ApiException {
    ledger.record(lastHour);
  }

  /** Notes when a renewal (or the takeover) by this instance was sent and succeeded. */
  private final class Renewals implements Lock {
    private final Lock lock;

    Renewals(Lock lock) {
      this.lock = lock;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
      return lock.get(client);
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
      long sent = System.nanoTime();
      lock.create(client, record);
      renewed(record, sent);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
      long sent = System.nanoTime();
      lock.update(client, record);
      renewed(record, sent);
    }

    private void renewed(LeaderElectionRecord record, long sent) {
      if (lock.identity().equals(record.getHolderIdentity())) {
        renewedAt = sent;
      }
    }

    @Override
    public String identity() {
      return lock.identity();
    }

    @Override
    public String describe() {
      return lock.describe();
    }
  }

  /** Stops campaigning and, if leading, releases the Lease. */
  @Override
  public void close() {
    running.cancel(true);
    leader.set(false);
    executor.shutdown();
  }
}
