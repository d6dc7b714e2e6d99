package io.spinclean.watch;

import io.spinclean.core.ApiException;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.VersionPlan;
import io.spinclean.render.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns decisions into Kubernetes Events on the ReplicaSets concerned: a deletion's outcome on the
 * deleted version, a dry run's "would delete" on each version it names, a refusal on the cluster's
 * newest version. At most one decision's Events per cluster per {@code period} (the settle period),
 * so a flapping cluster cannot flood the namespace's Events.
 *
 * <p>Runs on the caller's thread: wrap it in an {@link AsyncReporter} so a slow API server cannot
 * hold the controller.
 */
public final class EventReporter implements Reporter {
  /** Where Events go: {@code io.spinclean.kube.watch.EventRecorder#record}. */
  @FunctionalInterface
  public interface Sink {
    void record(
        String namespace,
        String replicaSet,
        String uid,
        boolean warning,
        String reason,
        String message)
        throws ApiException;
  }

  private record Note(String name, String uid, boolean warning, String reason, String message) {}

  private final Sink sink;
  private final Clock clock;
  private final Duration period;
  private final Consumer<String> onError;
  private final Map<ClusterKey, Instant> last = new HashMap<>();

  /**
   * @param onError told (one sentence) when an Event could not be created; never throws
   */
  public EventReporter(Sink sink, Clock clock, Duration period, Consumer<String> onError) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.period = Objects.requireNonNull(period, "period");
    this.onError = Objects.requireNonNull(onError, "onError");
  }

  @Override
  public synchronized void report(Decision d) {
    ClusterKey key = d.plan().key();
    Instant now = clock.instant();
    Instant before = last.get(key);
    if (before != null && Duration.between(before, now).compareTo(period) < 0) {
      return;
    }
    last.put(key, now);
    for (Note n : notes(d)) {
      try {
        // kubectl describe prints the message as it is: cluster data in it must not drive the
        // terminal of whoever reads it
        sink.record(
            key.namespace(),
            n.name(),
            n.uid(),
            n.warning(),
            n.reason(),
            SafeText.printable(n.message()));
      } catch (ApiException e) {
        onError.accept(
            "cannot record an Event on "
                + key.namespace()
                + "/"
                + n.name()
                + ": "
                + e.getMessage());
        return;
      }
    }
  }

  private static List<Note> notes(Decision d) {
    ClusterPlan plan = d.plan();
    List<Note> notes = new ArrayList<>();
    switch (d.kind()) {
      case EXECUTED -> {
        for (DeletionResult r : d.report().orElseThrow().results()) {
          notes.add(
              new Note(
                  r.name(),
                  r.uid(),
                  r.outcome().isFailure(),
                  reason(r.outcome()),
                  "spinclean "
                      + r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                      + " this version of "
                      + plan.key()
                      + (r.detail().isEmpty() ? "" : ": " + r.detail())));
        }
      }
      case WOULD_DELETE -> {
        for (VersionPlan v : plan.deletions()) {
          notes.add(
              new Note(
                  v.name(),
                  v.uid(),
                  false,
                  "WouldDelete",
                  "dry run: spinclean would delete this version ("
                      + v.reason()
                      + "): "
                      + v.detail()));
        }
      }
      case REFUSED -> {
        VersionPlan newest = plan.versions().get(plan.versions().size() - 1);
        notes.add(
            new Note(
                newest.name(),
                newest.uid(),
                true,
                "Refused",
                "spinclean refuses to clean "
                    + plan.key()
                    + " ("
                    + plan.reason()
                    + "): "
                    + plan.detail()));
      }
      case CAPPED -> {
        for (VersionPlan v : plan.deletions()) {
          notes.add(new Note(v.name(), v.uid(), true, "DeletionCapped", d.message()));
        }
      }
      default -> throw new IllegalStateException("unknown decision " + d.kind());
    }
    return notes;
  }

  private static String reason(Outcome o) {
    return switch (o) {
      case DELETED -> "Deleted";
      case ALREADY_GONE -> "AlreadyGone";
      case SKIPPED_CHANGED -> "SkippedChanged";
      case FAILED -> "DeleteFailed";
      case NOT_ATTEMPTED -> "NotAttempted";
    };
  }
}
