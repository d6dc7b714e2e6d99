package io.spinclean.watch;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import io.spinclean.watch.ClusterState.Signature;
import io.spinclean.watch.ClusterState.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the {@link Controller} does with a decision once it is settled, confirmed and this replica
 * leads: reports a refusal, reports a dry run, or deletes through the actor within the hourly cap,
 * backing off after an action that failed before writing. Called under the controller's lock.
 */
final class ClusterAction {
  /** The longest wait after failed actions (a fresh read, the hourly count) before trying again. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final WatchSettings settings;
  private final Controller.Actor actor;
  private final HourlyCap hourly;
  private final Clock clock;
  private final Metrics metrics;
  private final Reporter reporter;
  private final Consumer<String> warn;
  private Duration backoff = Duration.ZERO;
  private Instant retryAt = Instant.MIN;

  ClusterAction(
      WatchSettings settings,
      Controller.Actor actor,
      HourlyCap hourly,
      Clock clock,
      Metrics metrics,
      Reporter reporter,
      Consumer<String> warn) {
    this.settings = settings;
    this.actor = actor;
    this.hourly = hourly;
    this.clock = clock;
    this.metrics = metrics;
    this.reporter = reporter;
    this.warn = warn;
  }

  void take(
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
    if (now.isBefore(retryAt)) {
      return; // backing off after a failed action; the next tick tries again
    }
    boolean capped;
    try {
      capped = hourly.exceeded(names.size(), now);
    } catch (ApiException e) {
      failed(cluster, "cannot read the deletions of the last hour", e, now);
      return;
    }
    if (capped) {
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
      state.reported = null; // nothing was written: try again once the backoff ran out
      failed(cluster, "nothing deleted", e, now);
      return;
    }
    backoff = Duration.ZERO;
    List<Instant> deletedAt = new ArrayList<>();
    for (DeletionResult r : report.results()) {
      if (r.outcome() == Outcome.DELETED) {
        deletedAt.add(clock.instant());
      } else if (r.outcome() == Outcome.FAILED) {
        metrics.apiError();
        metrics.deletionFailed();
      }
    }
    int deleted = deletedAt.size();
    try {
      hourly.record(deletedAt, clock.instant());
    } catch (ApiException e) {
      metrics.apiError();
      warn.accept(
          "deleted "
              + deleted
              + " in "
              + cluster.key()
              + " but could not record them for --max-deletions-per-hour: "
              + e.getMessage());
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

  /** An action failed before writing: logged, counted, and not tried again before a backoff. */
  private void failed(ClusterPlan cluster, String what, ApiException e, Instant now) {
    metrics.apiError();
    metrics.deletionFailed();
    backoff = backoff.isZero() ? settings.tick() : backoff.multipliedBy(2);
    if (backoff.compareTo(MAX_BACKOFF) > 0) {
      backoff = MAX_BACKOFF;
    }
    retryAt = now.plus(backoff);
    warn.accept(
        "cannot act on "
            + cluster.key()
            + " ("
            + what
            + "): "
            + e.getMessage()
            + "; next attempt in "
            + backoff.toMillis()
            + " ms at the earliest");
  }
}
