package io.spinclean.watch;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import io.spinclean.watch.ClusterState.Signature;
import io.spinclean.watch.ClusterState.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The controller's decisions, without threads or fabric8: {@link #changed} records that an event
 * touched a cluster, {@link #evaluate} plans one cluster from the informer caches and acts when it
 * is safe. {@link WatchLoop} drives it.
 *
 * <p>Invariants: a cluster is acted on only when no event touched it for {@code settle}, its
 * namespace's informers have been watching for {@link #RESYNC} and came back from their last outage
 * at least {@code settle} ago, AND the same decision (verdict, reason, deletions by uid) came out
 * of {@code confirmations} consecutive such evaluations; only while {@code leadership} leads; in
 * dry-run the actor is never called; a confirmed decision is reported once until the cluster
 * changes; the actor gets the one-cluster plan and the planner that made it, so the executor
 * re-plans exactly that cluster; after a failed action nothing is tried before the backoff ran out.
 */
public final class Controller {
  /**
   * A resumed watch first sends what changed while it was away: an evaluation counts only once the
   * informers have been watching this long.
   */
  static final Duration RESYNC = Duration.ofSeconds(1);

  /** One namespace as the informers see it now, and whether they can be trusted. */
  public interface Cache {
    Snapshot snapshot(String namespace) throws ApiException;

    /** Since when every informer of {@code namespace} has been watching; empty while one is not. */
    Optional<Instant> watchingSince(String namespace);

    /** When the informers of {@code namespace} were back after their last outage, or started. */
    Instant outageEnd(String namespace);
  }

  /** Deletes what {@code plan} deletes, re-planning a fresh live snapshot with {@code planner}. */
  @FunctionalInterface
  public interface Actor {
    ApplyReport execute(Plan plan, Planner planner) throws ApiException;
  }

  private final WatchSettings settings;
  private final Cache cache;
  private final Leadership leadership;
  private final Clock clock;
  private final Metrics metrics;
  private final ClusterAction action;
  private final Map<ClusterKey, Instant> lastChange = new ConcurrentHashMap<>();
  private final Map<ClusterKey, State> states = new HashMap<>();

  /**
   * @param warn told about an action that could not be carried out (a failed fresh read)
   */
  public Controller(
      WatchSettings settings,
      Cache cache,
      Actor actor,
      Leadership leadership,
      Clock clock,
      Metrics metrics,
      Reporter reporter,
      Consumer<String> warn) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.leadership = Objects.requireNonNull(leadership, "leadership");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.action =
        new ClusterAction(
            settings,
            Objects.requireNonNull(actor, "actor"),
            new HourlyCap(settings.maxDeletionsPerHour(), leadership),
            clock,
            metrics,
            Objects.requireNonNull(reporter, "reporter"),
            Objects.requireNonNull(warn, "warn"));
  }

  /** An event touched {@code key}: its settle period starts again. Any thread. */
  public void changed(ClusterKey key) {
    lastChange.put(key, clock.instant());
  }

  /** Whether the user's selection covers {@code key} (the planner's own rule). */
  public boolean selects(ClusterKey key) {
    Policy p = settings.policy();
    return (p.namespaces().isEmpty() || p.namespaces().contains(key.namespace()))
        && (p.applications().isEmpty() || p.applications().contains(key.application()))
        && (p.clusters().isEmpty() || p.clusters().contains(key.cluster()));
  }

  /** Clusters that need another evaluation: never evaluated, or with a pending decision. */
  synchronized Set<ClusterKey> pending() {
    Set<ClusterKey> keys = new TreeSet<>();
    for (ClusterKey key : lastChange.keySet()) {
      State s = states.get(key);
      if (s == null || s.pending()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Plans {@code key} from the caches and acts if it is settled and confirmed. Worker thread. */
  public synchronized void evaluate(ClusterKey key) {
    if (!selects(key)) {
      return;
    }
    Instant now = clock.instant();
    Planner planner =
        new Planner(
            settings
                .policy()
                .withNamespaces(Set.of(key.namespace()))
                .withApplications(Set.of(key.application()))
                .withClusters(Set.of(key.cluster())));
    Plan plan;
    try {
      plan = planner.plan(cache.snapshot(key.namespace()));
    } catch (ApiException e) {
      metrics.apiError();
      return;
    }
    metrics.planned(now);
    Optional<ClusterPlan> found = plan.clusters().stream().findFirst();
    if (found.isEmpty()) { // every version is gone
      states.remove(key);
      lastChange.remove(key);
      updateGauges();
      return;
    }
    ClusterPlan cluster = found.get();
    State state = states.computeIfAbsent(key, k -> new State());
    state.plan = cluster;
    updateGauges();
    Signature signature = Signature.of(cluster);
    Instant changedAt = lastChange.getOrDefault(key, Instant.MIN);
    if (Duration.between(changedAt, now).compareTo(settings.settle()) < 0) {
      state.confirm(null);
      state.reported = null;
      state.signature = signature;
      return;
    }
    if (!trusted(key.namespace(), now)) {
      // Not a change of the cluster: what was reported stays reported.
      state.confirm(null);
      state.signature = signature;
      return;
    }
    state.confirm(signature);
    if (!signature.needsAction()) {
      state.reported = null;
      return;
    }
    if (state.confirmations < settings.confirmations() || signature.equals(state.reported)) {
      return;
    }
    if (!leadership.leads()) {
      return; // a stand-by keeps its state and acts once it leads
    }
    action.take(plan, planner, cluster, state, signature, now);
  }

  /**
   * Whether the caches of {@code namespace} show what is there: every informer watching, for {@link
   * #RESYNC} at least, and not within {@code settle} of the end of an outage (an event missed then
   * would have restarted some cluster's settle period).
   */
  private boolean trusted(String namespace, Instant now) {
    Optional<Instant> since = cache.watchingSince(namespace);
    return since.isPresent()
        && Duration.between(since.get(), now).compareTo(RESYNC) >= 0
        && Duration.between(cache.outageEnd(namespace), now).compareTo(settings.settle()) >= 0;
  }

  private void updateGauges() {
    int multiple = 0;
    int refused = 0;
    for (State s : states.values()) {
      if (s.plan.versions().stream().filter(VersionPlan::isServing).count() > 1) {
        multiple++;
      }
      if (s.plan.verdict() == Verdict.REFUSED) {
        refused++;
      }
    }
    metrics.clusters(states.size(), multiple, refused);
  }
}
