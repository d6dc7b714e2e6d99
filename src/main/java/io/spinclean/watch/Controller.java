package io.spinclean.watch;

import io.spinclean.core.Action;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import io.spinclean.kube.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The controller's decisions, without threads or fabric8: {@link #changed} records that an event
 * touched a cluster, {@link #evaluate} plans one cluster from the informer caches and acts when it
 * is safe. {@link WatchLoop} drives it.
 *
 * <p>Invariants: a cluster is acted on only when no event touched it for {@code settle} AND the
 * same decision (verdict, reason, deletions by uid) came out of {@code confirmations} consecutive
 * settled evaluations; only while {@code leader} says so; in dry-run the actor is never called; a
 * confirmed decision is reported once until the cluster changes; the actor gets the one-cluster
 * plan and the planner that made it, so the executor re-plans exactly that cluster.
 */
public final class Controller {
  /** A snapshot of one namespace as the informers see it now. */
  @FunctionalInterface
  public interface Cache {
    Snapshot snapshot(String namespace) throws ApiException;
  }

  /** Deletes what {@code plan} deletes, re-planning a fresh live snapshot with {@code planner}. */
  @FunctionalInterface
  public interface Actor {
    ApplyReport execute(Plan plan, Planner planner) throws ApiException;
  }

  private static final Duration HOUR = Duration.ofHours(1);

  private final WatchSettings settings;
  private final Cache cache;
  private final Actor actor;
  private final BooleanSupplier leader;
  private final Clock clock;
  private final Metrics metrics;
  private final Reporter reporter;
  private final Map<ClusterKey, Instant> lastChange = new ConcurrentHashMap<>();
  private final Map<ClusterKey, State> states = new HashMap<>();
  private final Deque<Instant> recentDeletions = new ArrayDeque<>();

  public Controller(
      WatchSettings settings,
      Cache cache,
      Actor actor,
      BooleanSupplier leader,
      Clock clock,
      Metrics metrics,
      Reporter reporter) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.leader = Objects.requireNonNull(leader, "leader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
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
    state.confirm(signature);
    if (!signature.needsAction()) {
      state.reported = null;
      return;
    }
    if (state.confirmations < settings.confirmations() || signature.equals(state.reported)) {
      return;
    }
    if (!leader.getAsBoolean()) {
      return; // a stand-by keeps its state and acts once it leads
    }
    decide(plan, planner, cluster, state, signature, now);
  }

  private void decide(
      Plan plan,
      Planner planner,
      ClusterPlan cluster,
      State state,
      Signature signature,
      Instant now) {
    if (cluster.verdict() == Verdict.REFUSED) {
      metrics.refused(cluster.reason().name().toLowerCase(java.util.Locale.ROOT));
      state.reported = signature;
      reporter.report(
          new Decision(
              Decision.Kind.REFUSED,
              cluster,
              Optional.empty(),
              "refused (" + cluster.reason() + "): " + cluster.detail()));
      return;
    }
    List<String> names = cluster.deletions().stream().map(VersionPlan::name).toList();
    if (settings.dryRun()) {
      state.reported = signature;
      reporter.report(
          new Decision(
              Decision.Kind.WOULD_DELETE,
              cluster,
              Optional.empty(),
              "dry run: would delete " + String.join(", ", names)));
      return;
    }
    if (overHourlyCap(names.size(), now)) {
      if (!signature.equals(state.capped)) {
        state.capped = signature;
        metrics.refused("max_deletions_per_hour");
        reporter.report(
            new Decision(
                Decision.Kind.CAPPED,
                cluster,
                Optional.empty(),
                "not deleting "
                    + String.join(", ", names)
                    + ": --max-deletions-per-hour "
                    + settings.maxDeletionsPerHour().getAsInt()
                    + " would be exceeded"));
      }
      return; // tried again on the next tick, once the hour has room
    }
    state.reported = signature;
    ApplyReport report;
    try {
      report = actor.execute(plan, planner);
    } catch (ApiException e) {
      metrics.apiError();
      state.reported = null; // nothing was written: try again on the next tick
      return;
    }
    int deleted = 0;
    for (DeletionResult r : report.results()) {
      if (r.outcome() == Outcome.DELETED) {
        deleted++;
        recentDeletions.addLast(clock.instant());
      } else if (r.outcome() == Outcome.FAILED) {
        metrics.apiError();
      }
    }
    metrics.deleted(deleted);
    reporter.report(
        new Decision(
            Decision.Kind.EXECUTED,
            cluster,
            Optional.of(report),
            "deleted "
                + deleted
                + " of "
                + names.size()
                + " planned: "
                + String.join(", ", names)));
  }

  private boolean overHourlyCap(int planned, Instant now) {
    if (settings.maxDeletionsPerHour().isEmpty()) {
      return false;
    }
    while (!recentDeletions.isEmpty() && !recentDeletions.peekFirst().isAfter(now.minus(HOUR))) {
      recentDeletions.removeFirst();
    }
    return recentDeletions.size() + planned > settings.maxDeletionsPerHour().getAsInt();
  }

  private void updateGauges() {
    int multiple = 0;
    for (State s : states.values()) {
      if (s.plan.versions().stream().filter(VersionPlan::isServing).count() > 1) {
        multiple++;
      }
    }
    metrics.clusters(states.size(), multiple);
  }

  /** What must stay the same across confirmations. */
  private record Signature(Verdict verdict, String reason, Set<String> deletions) {
    static Signature of(ClusterPlan c) {
      Set<String> uids = new TreeSet<>();
      for (VersionPlan v : c.versions()) {
        if (v.action() == Action.DELETE) {
          uids.add(v.uid());
        }
      }
      return new Signature(c.verdict(), c.reason().name(), uids);
    }

    boolean needsAction() {
      return verdict == Verdict.CLEANUP || verdict == Verdict.REFUSED;
    }
  }

  private static final class State {
    ClusterPlan plan;
    Signature signature;
    int confirmations;
    Signature reported;
    Signature capped;

    /**
     * @param s the settled evaluation's decision, or null when not settled
     */
    void confirm(Signature s) {
      if (s == null) {
        confirmations = 0;
      } else if (s.equals(signature) && confirmations > 0) {
        confirmations++;
      } else {
        signature = s;
        confirmations = 1;
      }
    }

    boolean pending() {
      return signature == null || (signature.needsAction() && !signature.equals(reported));
    }
  }
}
