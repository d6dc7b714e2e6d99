package io.spinclean.render;

import static io.spinclean.render.SnapshotBuilder.days;
import static io.spinclean.render.SnapshotBuilder.hours;
import static io.spinclean.render.SnapshotBuilder.minutes;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The plans and reports the golden files show, made by the real {@link Planner} so the renderers
 * are tested on what users will actually see. Between them they cover every verdict, cluster
 * reason, action, version reason, flag and outcome.
 */
final class Scenarios {
  static final Instant TAKEN_AT = Instant.parse("2026-01-05T12:00:00Z");

  /** keep-previous 1 and min-age 10m, so ROLLBACK_TARGET and TOO_YOUNG appear. */
  static final Policy POLICY =
      Policy.DEFAULT.withKeepPrevious(1).withMinAge(Duration.ofMinutes(10));

  private Scenarios() {}

  static Snapshot snapshot() {
    SnapshotBuilder b = new SnapshotBuilder(TAKEN_AT);
    // Scenario 3 and more: a half-disabled incumbent, a rollback target, a failed candidate,
    // a deploy still in progress, and a Service the annotation names that does not exist.
    b.service("example", "webapp");
    b.version("example", "webapp", 1).age(days(10)).traffic("webapp", "webapp-canary").idlePods(2);
    b.version("example", "webapp", 2).age(days(5).plus(hours(3))).traffic("webapp").idlePods(2);
    b.version("example", "webapp", 3)
        .age(days(2))
        .traffic("webapp")
        .servingPods(1, "webapp")
        .idlePods(1);
    b.version("example", "webapp", 4)
        .age(days(1))
        .traffic("webapp")
        .template("webapp")
        .servingPods(3, "webapp");
    b.version("example", "webapp", 5)
        .age(hours(3).plus(minutes(12)))
        .traffic("webapp")
        .template("webapp")
        .unreadyPods(2, "webapp");
    b.version("example", "webapp", 6)
        .age(minutes(4))
        .traffic("webapp")
        .template("webapp")
        .unreadyPods(1, "webapp");
    // Scenario 2 with a protected incumbent, and a keeper one of whose pods lacks the labels.
    b.service("example", "stream-consumer");
    b.version("example", "stream-consumer", 11)
        .age(days(3))
        .traffic("stream-consumer")
        .template("stream-consumer")
        .servingPods(2, "stream-consumer")
        .protect();
    b.version("example", "stream-consumer", 12)
        .age(hours(6))
        .traffic("stream-consumer")
        .template("stream-consumer")
        .servingPods(2, "stream-consumer")
        .idlePods(1);
    // A healthy single version.
    b.service("example", "workers");
    b.version("example", "workers", 7)
        .age(days(20))
        .traffic("workers")
        .template("workers")
        .servingPods(2, "workers");
    // Not traffic-managed: no traffic annotation at all.
    b.version("example", "batch", 1).age(days(9)).idlePods(1);
    b.version("example", "batch", 2).age(days(8)).idlePods(1);
    // Two versions and none serving: no safe keeper.
    b.service("example", "api");
    b.version("example", "api", 2)
        .age(days(2))
        .traffic("api")
        .template("api")
        .unreadyPods(1, "api");
    b.version("example", "api", 3)
        .age(days(1))
        .traffic("api")
        .template("api")
        .unreadyPods(1, "api");
    // A traffic annotation that is not a JSON list.
    b.version("example", "gateway", 1).age(days(6)).traffic("gateway").idlePods(1);
    b.version("example", "gateway", 2)
        .age(days(5))
        .annotation("traffic.spinnaker.io/load-balancers", "service gateway")
        .idlePods(1);
    // Scenario 2 plus scenario 1: both versions serve, and a newer deploy never got Ready.
    b.service("other", "checkout");
    b.version("other", "checkout", 6)
        .age(days(2))
        .traffic("checkout")
        .template("checkout")
        .servingPods(2, "checkout");
    b.version("other", "checkout", 7)
        .age(days(1))
        .traffic("checkout")
        .template("checkout")
        .servingPods(2, "checkout");
    b.version("other", "checkout", 8)
        .age(hours(2))
        .traffic("checkout")
        .template("checkout")
        .unreadyPods(2, "checkout");
    // Two Services: deleting the old version would leave search-a with no serving pod.
    b.service("other", "search-a").service("other", "search-b");
    b.version("other", "search", 1)
        .age(days(4))
        .traffic("search-a", "search-b")
        .template("search-a")
        .servingPods(2, "search-a");
    b.version("other", "search", 2)
        .age(days(1))
        .traffic("search-a", "search-b")
        .template("search-b")
        .servingPods(2, "search-b");
    return b.build();
  }

  static Plan plan() {
    return new Planner(POLICY).plan(snapshot());
  }

  /** The same cluster state with --max-deletions 2: the plan would delete 5, so none. */
  static Plan maxDeletionsPlan() {
    return new Planner(POLICY.withMaxDeletions(OptionalInt.of(2))).plan(snapshot());
  }

  /** A selection that matches nothing. */
  static Plan emptyPlan() {
    return new Planner(Policy.DEFAULT.withNamespaces(Set.of("nowhere"))).plan(snapshot());
  }

  /** An apply of {@link #plan()} that met every outcome, in the order the executor stops. */
  static ApplyReport report() {
    ClusterKey webapp = new ClusterKey("example", "webapp", "replicaSet webapp");
    ClusterKey checkout = new ClusterKey("other", "checkout", "replicaSet checkout");
    List<DeletionResult> results =
        List.of(
            result(
                webapp,
                "webapp-v001",
                Outcome.ALREADY_GONE,
                false,
                "not found: someone else deleted it first"),
            result(webapp, "webapp-v003", Outcome.DELETED, true, ""),
            result(
                webapp,
                "webapp-v005",
                Outcome.SKIPPED_CHANGED,
                false,
                "the fresh plan retains it (TOO_YOUNG)"),
            result(
                checkout,
                "checkout-v006",
                Outcome.FAILED,
                false,
                "deleting replicasets checkout-v006 in namespace other: 503 Service Unavailable"),
            result(
                checkout,
                "checkout-v008",
                Outcome.NOT_ATTEMPTED,
                false,
                "an earlier deletion failed"));
    return new ApplyReport(plan(), results, List.of("example/webapp-v003"));
  }

  /** An apply of a plan with nothing to delete. */
  static ApplyReport emptyReport() {
    return new ApplyReport(emptyPlan(), List.of(), List.of());
  }

  private static DeletionResult result(
      ClusterKey cluster, String name, Outcome outcome, boolean drained, String detail) {
    return new DeletionResult(
        cluster, name, "uid-" + cluster.namespace() + "-" + name, outcome, drained, detail);
  }
}
