package io.spinclean.watch;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The controller's Prometheus series, written by hand in text format 0.0.4 (no client library is on
 * the allowed dependency list). Thread-safe: the worker writes, the HTTP server reads.
 *
 * <p>Invariant: counters only grow; every series is exposed from the start (at 0), so an alert on
 * {@code rate(...)} or on a gauge never sees a missing series.
 */
public final class Metrics {
  private final AtomicLong clustersWatched = new AtomicLong();
  private final AtomicLong clustersMultipleServing = new AtomicLong();
  private final AtomicLong clustersRefused = new AtomicLong();
  private final AtomicLong deletionFailures = new AtomicLong();
  private final AtomicLong plans = new AtomicLong();
  private final AtomicLong deletions = new AtomicLong();
  private final AtomicLong apiErrors = new AtomicLong();
  private final AtomicLong lastEvaluationMillis = new AtomicLong();
  private final AtomicLong leader = new AtomicLong();
  private final Map<String, Long> refusals = new TreeMap<>();

  void clusters(int watched, int multipleServing, int refused) {
    clustersWatched.set(watched);
    clustersMultipleServing.set(multipleServing);
    clustersRefused.set(refused);
  }

  void planned(Instant at) {
    plans.incrementAndGet();
    lastEvaluationMillis.set(at.toEpochMilli());
  }

  void deleted(int n) {
    deletions.addAndGet(n);
  }

  /** A planned deletion did not happen: its delete failed, or the action failed before it. */
  void deletionFailed() {
    deletionFailures.incrementAndGet();
  }

  void apiError() {
    apiErrors.incrementAndGet();
  }

  synchronized void refused(String reason) {
    refusals.merge(reason, 1L, Long::sum);
  }

  /** Called by leader election: 1 while this instance holds the lease. */
  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  public long deletions() {
    return deletions.get();
  }

  public long apiErrors() {
    return apiErrors.get();
  }

  /** The exposition: {@code # HELP}, {@code # TYPE} and one line per series. */
  public synchronized String render() {
    StringBuilder out = new StringBuilder();
    gauge(
        out,
        "spinclean_clusters_watched",
        "Spinnaker clusters in the selected namespaces.",
        clustersWatched.get());
    gauge(
        out,
        "spinclean_clusters_multiple_serving",
        "Clusters in which more than one version receives traffic.",
        clustersMultipleServing.get());
    gauge(
        out,
        "spinclean_clusters_refused",
        "Clusters whose last evaluation was refused.",
        clustersRefused.get());
    counter(out, "spinclean_plans_total", "Cluster evaluations (plans made).", plans.get());
    counter(out, "spinclean_deletions_total", "ReplicaSets deleted.", deletions.get());
    counter(
        out,
        "spinclean_deletion_failures_total",
        "Planned deletions that failed (a delete, or the action before it).",
        deletionFailures.get());
    out.append("# HELP spinclean_refusals_total Settled clusters refused, by reason.\n")
        .append("# TYPE spinclean_refusals_total counter\n");
    refusals.forEach(
        (reason, n) ->
            out.append("spinclean_refusals_total{reason=\"")
                .append(escape(reason))
                .append("\"} ")
                .append(n)
                .append('\n'));
    counter(
        out,
        "spinclean_api_errors_total",
        "Kubernetes API errors met while evaluating or" + " deleting.",
        apiErrors.get());
    long last = lastEvaluationMillis.get();
    out.append(
            "# HELP spinclean_last_evaluation_timestamp_seconds Unix time of the last"
                + " successful evaluation.\n")
        .append("# TYPE spinclean_last_evaluation_timestamp_seconds gauge\n")
        .append("spinclean_last_evaluation_timestamp_seconds ")
        .append(last / 1000)
        .append('.')
        .append(String.format("%03d", last % 1000))
        .append('\n');
    gauge(
        out,
        "spinclean_leader",
        "1 while this instance is the leader and may delete.",
        leader.get());
    return out.toString();
  }

  /** The readiness gauge, which {@link MetricsServer} adds from its {@code /readyz} answer. */
  static String readiness(boolean ready) {
    StringBuilder out = new StringBuilder();
    gauge(
        out,
        "spinclean_ready",
        "1 while every informer is watching (what /readyz answers).",
        ready ? 1 : 0);
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    series(out, name, "gauge", help, value);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    series(out, name, "counter", help, value);
  }

  private static void series(StringBuilder out, String name, String type, String help, long v) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(name)
        .append(' ')
        .append(type)
        .append('\n')
        .append(name)
        .append(' ')
        .append(v)
        .append('\n');
  }

  /** Label values escape backslash, quote and newline (text format 0.0.4). */
  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
