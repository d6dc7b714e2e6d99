package io.spinclean.watch;

import static io.spinclean.watch.Worlds.WEBAPP;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The controller's state machine with a hand-moved clock: when it acts, when it must not, and what
 * it reports.
 */
class ControllerTest {
  static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
  static final Duration SETTLE = Duration.ofMinutes(5);
  static final Duration TICK = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(T0);
  final List<Plan> executed = new ArrayList<>();
  final List<Decision> decisions = new ArrayList<>();
  final Metrics metrics = new Metrics();
  final AtomicBoolean leader = new AtomicBoolean(true);
  final List<String> warnings = new ArrayList<>();
  Snapshot world = failedDeploy();

  /** Whether the informers watch (empty: not now), and when they came back from an outage. */
  Optional<Instant> watchingSince = Optional.of(T0.minus(Duration.ofHours(1)));

  Instant outageEnd = T0.minus(Duration.ofHours(1));

  /** The informer caches as the test sets them. */
  final class Cache implements Controller.Cache {
    private final Read read;

    interface Read {
      Snapshot snapshot() throws ApiException;
    }

    Cache(Read read) {
      this.read = read;
    }

    @Override
    public Snapshot snapshot(String namespace) throws ApiException {
      return read.snapshot();
    }

    @Override
    public Optional<Instant> watchingSince(String namespace) {
      return watchingSince;
    }

    @Override
    public Instant outageEnd(String namespace) {
      return outageEnd;
    }
  }

  Cache cache() {
    return new Cache(() -> world);
  }

  Snapshot failedDeploy() {
    return new Worlds()
        .version(1, T0, Duration.ofDays(2), 2, 0)
        .version(2, T0, Duration.ofHours(1), 0, 2)
        .at(T0);
  }

  Controller controller(boolean dryRun, OptionalInt perHour) {
    WatchSettings settings = new WatchSettings(Policy.DEFAULT, SETTLE, 2, dryRun, perHour, TICK);
    return new Controller(
        settings,
        cache(),
        (plan, planner) -> {
          executed.add(plan);
          return new ApplyReport(
              plan,
              plan.deletions().stream()
                  .map(
                      d ->
                          new DeletionResult(
                              d.cluster(),
                              d.version().name(),
                              d.version().uid(),
                              Outcome.DELETED,
                              false,
                              ""))
                  .toList(),
              List.of());
        },
        Leadership.inMemory(leader::get),
        clock,
        metrics,
        decisions::add,
        warnings::add);
  }

  Controller controller() {
    return controller(false, OptionalInt.empty());
  }

  @Test
  void actsOnlyAfterSettleAndTwoConfirmationsThenDeletesExactlyThePlan() {
    Controller c = controller();
    c.changed(WEBAPP);
    c.evaluate(WEBAPP);
    clock.advance(SETTLE.minusSeconds(1));
    c.evaluate(WEBAPP);
    assertThat(executed).isEmpty();
    assertThat(c.pending()).containsExactly(WEBAPP);

    clock.advance(Duration.ofSeconds(1)); // settled: first confirmation
    c.evaluate(WEBAPP);
    assertThat(executed).isEmpty();

    clock.advance(TICK); // second confirmation
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
    assertThat(executed.get(0).deletions())
        .extracting(d -> d.version().name())
        .containsExactly("webapp-v002");
    assertThat(executed.get(0).clusters()).extracting(p -> p.key()).containsExactly(WEBAPP);
    assertThat(decisions).extracting(Decision::kind).containsExactly(Decision.Kind.EXECUTED);
    assertThat(metrics.deletions()).isEqualTo(1);

    clock.advance(TICK); // the same decision is not carried out twice
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
    assertThat(c.pending()).isEmpty();
  }

  @Test
  void aClusterThatKeepsChangingIsNeverTouched() {
    Controller c = controller();
    for (int i = 0; i < 50; i++) {
      c.changed(WEBAPP); // a failing deploy keeps changing pod status
      clock.advance(SETTLE.dividedBy(2));
      c.evaluate(WEBAPP);
      clock.advance(TICK);
      c.evaluate(WEBAPP);
    }
    assertThat(executed).isEmpty();
    assertThat(decisions).isEmpty();
  }

  @Test
  void aDifferentDeletionSetStartsTheConfirmationsAgain() {
    Controller c = controller();
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    c.evaluate(WEBAPP); // confirmation 1: v002
    world =
        new Worlds()
            .version(1, T0, Duration.ofDays(2), 2, 0)
            .version(2, T0, Duration.ofHours(1), 0, 2)
            .version(3, T0, Duration.ofMinutes(30), 0, 1)
            .at(T0);
    clock.advance(TICK);
    c.evaluate(WEBAPP); // v002 and v003: confirmation 1 again
    assertThat(executed).isEmpty();
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.deletions())
                    .extracting(d -> d.version().name())
                    .containsExactly("webapp-v002", "webapp-v003"));
  }

  @Test
  void dryRunNeverDeletesAndReportsOnce() {
    Controller c = controller(true, OptionalInt.empty());
    c.changed(WEBAPP);
    for (int i = 0; i < 20; i++) {
      clock.advance(TICK);
      c.evaluate(WEBAPP);
    }
    assertThat(executed).isEmpty();
    assertThat(decisions)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(Decision.Kind.WOULD_DELETE);
              assertThat(d.message()).isEqualTo("dry run: would delete webapp-v002");
            });
  }

  @Test
  void aStandByDoesNotActAndTheLeaderActsOnceItLeads() {
    leader.set(false);
    Controller c = controller();
    c.changed(WEBAPP);
    for (int i = 0; i < 20; i++) {
      clock.advance(TICK);
      c.evaluate(WEBAPP);
    }
    assertThat(executed).isEmpty();
    assertThat(c.pending()).containsExactly(WEBAPP);
    leader.set(true);
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
  }

  @Test
  void aRefusedClusterIsReportedOnceWithItsReason() {
    // no version serves: the planner refuses (NO_SERVING_VERSION)
    world =
        new Worlds()
            .version(1, T0, Duration.ofDays(2), 0, 2)
            .version(2, T0, Duration.ofHours(1), 0, 2)
            .at(T0);
    Controller c = controller();
    c.changed(WEBAPP);
    for (int i = 0; i < 15; i++) {
      clock.advance(TICK);
      c.evaluate(WEBAPP);
    }
    assertThat(executed).isEmpty();
    assertThat(decisions)
        .singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo(Decision.Kind.REFUSED));
    assertThat(metrics.render())
        .contains("spinclean_refusals_total{reason=\"no_serving_version\"} 1\n");
  }

  @Test
  void theHourlyCapRefusesUntilTheHourHasRoom() {
    Controller c = controller(false, OptionalInt.of(1));
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    c.evaluate(WEBAPP);
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1); // 1 deletion: within the cap

    world =
        new Worlds() // a second failed deploy right after
            .version(1, T0, Duration.ofDays(2), 2, 0)
            .version(3, T0, Duration.ofMinutes(10), 0, 2)
            .at(T0);
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    c.evaluate(WEBAPP);
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
    assertThat(decisions)
        .extracting(Decision::kind)
        .containsExactly(Decision.Kind.EXECUTED, Decision.Kind.CAPPED);
    assertThat(metrics.render())
        .contains("spinclean_refusals_total{reason=\"max_deletions_per_hour\"} 1\n");

    clock.advance(Duration.ofHours(1));
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(2);
  }

  @Test
  void metricsShowTheWatchedClustersAndTheOneWithTwoServingVersions() {
    world =
        new Worlds()
            .version(1, T0, Duration.ofDays(2), 2, 0)
            .version(2, T0, Duration.ofHours(1), 1, 0)
            .at(T0);
    Controller c = controller();
    c.changed(WEBAPP);
    c.evaluate(WEBAPP);
    assertThat(metrics.render())
        .contains("spinclean_clusters_watched 1\n")
        .contains("spinclean_clusters_multiple_serving 1\n")
        .contains("spinclean_plans_total 1\n")
        .contains("spinclean_last_evaluation_timestamp_seconds 1795680000.000\n");
  }

  @Test
  void apiErrorsAreCountedAndTheDecisionIsTriedAgain() {
    boolean[] down = {true};
    WatchSettings settings =
        new WatchSettings(Policy.DEFAULT, SETTLE, 1, false, OptionalInt.empty(), TICK);
    Controller c =
        new Controller(
            settings,
            cache(),
            (plan, planner) -> {
              if (down[0]) {
                throw new ApiException("cannot list replicasets in namespace prod: 503");
              }
              executed.add(plan);
              return new ApplyReport(plan, List.of(), List.of());
            },
            Leadership.inMemory(leader::get),
            clock,
            metrics,
            decisions::add,
            warnings::add);
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    c.evaluate(WEBAPP); // the fresh read fails: nothing was written
    assertThat(metrics.apiErrors()).isEqualTo(1);
    assertThat(c.pending()).containsExactly(WEBAPP);

    down[0] = false;
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
  }

  @Test
  void anUnreadableCacheIsAnApiErrorAndNoPlan() {
    Controller c =
        new Controller(
            new WatchSettings(Policy.DEFAULT, SETTLE, 2, false, OptionalInt.empty(), TICK),
            new Cache(
                () -> {
                  throw new ApiException(
                      "ReplicaSet prod/x cannot be read: spec.replicas is negative");
                }),
            (plan, planner) -> {
              throw new AssertionError("must not act");
            },
            Leadership.inMemory(leader::get),
            clock,
            metrics,
            decisions::add,
            warnings::add);
    c.changed(WEBAPP);
    clock.advance(SETTLE.multipliedBy(2));
    c.evaluate(WEBAPP);
    assertThat(metrics.apiErrors()).isEqualTo(1);
    assertThat(metrics.render()).contains("spinclean_plans_total 0\n");
  }

  @Test
  void nothingIsConfirmedWhileTheInformersAreNotWatchingNorRightAfter() {
    Controller c = controller();
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    watchingSince = Optional.empty(); // a watch dropped: the cache is frozen
    for (int i = 0; i < 10; i++) {
      c.evaluate(WEBAPP);
      clock.advance(TICK);
    }
    assertThat(executed).isEmpty();

    watchingSince = Optional.of(clock.instant()); // back: what it missed arrives first
    c.evaluate(WEBAPP);
    clock.advance(Controller.RESYNC.dividedBy(2));
    c.evaluate(WEBAPP);
    assertThat(executed).isEmpty();
    clock.advance(TICK);
    c.evaluate(WEBAPP); // confirmation 1
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
  }

  @Test
  void anOutageRestartsTheSettlePeriodOfEveryCluster() {
    Controller c = controller();
    c.changed(WEBAPP);
    clock.advance(SETTLE.multipliedBy(3));
    outageEnd = clock.instant().minus(Duration.ofSeconds(1));
    for (int i = 0; i < 8; i++) {
      c.evaluate(WEBAPP);
      clock.advance(TICK);
    }
    assertThat(executed).isEmpty(); // 4 minutes after the outage: not settled yet
    clock.advance(Duration.between(clock.instant(), outageEnd.plus(SETTLE)));
    c.evaluate(WEBAPP); // settled since the outage: confirmation 1
    clock.advance(TICK);
    c.evaluate(WEBAPP);
    assertThat(executed).hasSize(1);
  }

  @Test
  void aFailedFreshReadIsLoggedAndBackedOff() {
    int[] attempts = {0};
    Controller c =
        new Controller(
            new WatchSettings(Policy.DEFAULT, SETTLE, 1, false, OptionalInt.empty(), TICK),
            cache(),
            (plan, planner) -> {
              attempts[0]++;
              throw new ApiException("cannot list replicasets in namespace prod: 503");
            },
            Leadership.inMemory(leader::get),
            clock,
            metrics,
            decisions::add,
            warnings::add);
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    for (int i = 0; i < 8; i++) { // 4 minutes: tries after 0, 1, 3 and 7 ticks
      c.evaluate(WEBAPP);
      clock.advance(TICK);
    }
    assertThat(attempts[0]).isEqualTo(4);
    assertThat(warnings)
        .hasSize(4)
        .first()
        .isEqualTo(
            "cannot act on prod/webapp/replicaSet webapp (nothing deleted): cannot list"
                + " replicasets in namespace prod: 503; next attempt in 30000 ms at the earliest");
    assertThat(decisions).isEmpty();
  }
}
