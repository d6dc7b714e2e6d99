package io.spinclean.kube.apply;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Requests;
import io.spinclean.kube.Sleeper;
import io.spinclean.kube.SnapshotSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Executes a plan that was shown to the user, and never more than it shows.
 *
 * <p>Invariants: only a version that is DELETE both in the shown plan and in a plan of a fresh
 * snapshot, with the same uid, is ever written to; every delete carries preconditions (uid, and the
 * resourceVersion of the fresh snapshot, or after a drain of a read that found only the drain's own
 * change) and a Background or Foreground propagation policy, never Orphan; after the first failure,
 * an unexpected API error or any exception, nothing more is written (the rest is NOT_ATTEMPTED) and
 * the report is still returned; once {@code stopping} says so (SIGTERM in {@code watch}) the
 * deletion in flight ends without further retries and the rest is NOT_ATTEMPTED, so a batch is
 * never left half done without a result for every version.
 */
public final class Executor {
  static final String STOPPED = "not attempted: spinclean is stopping";
  static final int DELETES_AFTER_DRAIN = 3;

  private final KubernetesClient client;
  private final SnapshotSource freshSnapshot;
  private final Planner planner;
  private final ApplyOptions options;
  private final Requests requests;
  private final Drainer drainer;
  private final Waiter waiter;
  private final Deletes deletes;
  private final BooleanSupplier stopping;
  private Backup backup = Backup.off();

  /**
   * @param freshSnapshot reads the same namespaces as the shown plan did
   * @param planner the planner (same policy) that made the shown plan
   */
  Executor(
      KubernetesClient client,
      SnapshotSource freshSnapshot,
      Planner planner,
      ApplyOptions options,
      Sleeper sleeper) {
    this(client, freshSnapshot, planner, options, sleeper, () -> false);
  }

  /**
   * @param stopping polled between requests: true = write nothing more
   */
  Executor(
      KubernetesClient client,
      SnapshotSource freshSnapshot,
      Planner planner,
      ApplyOptions options,
      Sleeper sleeper,
      BooleanSupplier stopping) {
    this.client = client;
    this.stopping = Objects.requireNonNull(stopping, "stopping");
    this.freshSnapshot = Objects.requireNonNull(freshSnapshot, "freshSnapshot");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.options = Objects.requireNonNull(options, "options");
    this.requests = new Requests(client, sleeper, stopping);
    this.drainer = new Drainer(client, requests, sleeper);
    this.waiter = new Waiter(client, sleeper);
    this.deletes = new Deletes(requests, options.cascade());
  }

  /**
   * An executor that writes through {@code connection} and waits in wall-clock time.
   *
   * @param freshSnapshot reads the same namespaces as the shown plan did
   * @param planner the planner (same policy) that made the shown plan
   */
  public static Executor create(
      KubeConnection connection,
      SnapshotSource freshSnapshot,
      Planner planner,
      ApplyOptions options) {
    return create(connection, freshSnapshot, planner, options, () -> false);
  }

  /**
   * As {@link #create(KubeConnection, SnapshotSource, Planner, ApplyOptions)}, stopping early once
   * {@code stopping} is true: what was not deleted yet is reported NOT_ATTEMPTED.
   */
  public static Executor create(
      KubeConnection connection,
      SnapshotSource freshSnapshot,
      Planner planner,
      ApplyOptions options,
      BooleanSupplier stopping) {
    return new Executor(
        connection.client(), freshSnapshot, planner, options, Sleeper.SYSTEM, stopping);
  }

  /**
   * Writes each version to {@code backup} before its DELETE (and before a drain); a version whose
   * backup fails is FAILED, not drained, not deleted, and nothing more is written.
   */
  public Executor backingUpTo(Backup backup) {
    this.backup = Objects.requireNonNull(backup, "backup");
    return this;
  }

  /**
   * Deletes what {@code shown} deletes and is still to be deleted in a fresh plan.
   *
   * @return one result per deletion of {@code shown}, in its order
   * @throws ApiException the fresh snapshot could not be read; nothing was written
   */
  public ApplyReport execute(Plan shown) throws ApiException {
    if (stopping.getAsBoolean()) {
      return new ApplyReport(
          shown,
          shown.deletions().stream()
              .map(d -> untouched(d, Outcome.NOT_ATTEMPTED, STOPPED))
              .toList(),
          List.of());
    }
    SnapshotSource.Fresh fresh =
        backup.enabled()
            ? freshSnapshot.readKeeping(
                shown.deletions().stream()
                    .map(d -> d.version().uid())
                    .collect(java.util.stream.Collectors.toSet()))
            : new SnapshotSource.Fresh(freshSnapshot.read(), java.util.Map.of());
    Snapshot snapshot = fresh.snapshot();
    Plan again = planner.plan(snapshot);
    List<DeletionResult> results = new ArrayList<>();
    List<Target> deleted = new ArrayList<>();
    String failed = null;
    for (Plan.Deletion deletion : shown.deletions()) {
      Target target;
      try {
        target = Reconciler.reconcile(deletion, snapshot, again);
      } catch (Halt nothingToDo) {
        results.add(untouched(deletion, nothingToDo.outcome(), nothingToDo.detail()));
        continue;
      }
      if (failed != null) {
        results.add(
            result(
                target,
                Outcome.NOT_ATTEMPTED,
                false,
                "not attempted: stopped after " + failed + " failed"));
        continue;
      }
      if (stopping.getAsBoolean()) {
        results.add(result(target, Outcome.NOT_ATTEMPTED, false, STOPPED));
        continue;
      }
      DeletionResult done;
      String unsaved =
          backup.enabled()
              ? backup.save(target, fresh.kept(), client.getKubernetesSerialization())
              : null;
      try {
        done =
            unsaved != null
                ? result(target, Outcome.FAILED, false, unsaved)
                : act(target, deletion, snapshot);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done = result(target, Outcome.FAILED, false, "interrupted before it was deleted");
      } catch (RuntimeException e) {
        // Whatever it was, the outcomes so far must reach the user (issue 10, item 7).
        done =
            result(
                target,
                Outcome.FAILED,
                false,
                Deletes.unexpected(e)
                    + (options.drain().isPresent()
                        ? ": not deleted, it may be partly drained"
                        : ": not deleted"));
      }
      results.add(done);
      if (done.outcome() == Outcome.DELETED) {
        deleted.add(target);
      } else if (done.outcome() == Outcome.FAILED) {
        failed = target.toString();
      }
    }
    List<String> remaining = List.of();
    if (options.waitTimeout().isPresent()
        && !deleted.isEmpty()
        && !Thread.currentThread().isInterrupted()
        && !stopping.getAsBoolean()) {
      remaining =
          waiter.awaitGone(deleted, results, options.cascade(), options.waitTimeout().get());
    }
    return new ApplyReport(shown, results, remaining);
  }

  /**
   * Drains (with --drain), then deletes with preconditions. After a drain, the version is read
   * again and deleted with the resourceVersion read ({@link Recheck#afterDrain}); a conflict then
   * (say, the ReplicaSet controller wrote its status once more) reads and checks it again, at most
   * {@value #DELETES_AFTER_DRAIN} times in all.
   */
  private DeletionResult act(Target target, Plan.Deletion shown, Snapshot snapshot)
      throws InterruptedException {
    Drainer.Drained drained = Drainer.Drained.none(target);
    try {
      if (options.drain().isPresent()) {
        drained = drainer.drain(target, options.drain().get());
      }
      if (!drained.drained()) {
        return deletes.delete(target, target.resourceVersion(), drained);
      }
      for (int attempt = 1; ; attempt++) {
        String resourceVersion =
            Recheck.afterDrain(client, requests, target, drained, shown, snapshot, planner);
        DeletionResult done = deletes.delete(target, resourceVersion, drained);
        if (!done.detail().startsWith(Deletes.CONFLICT) || attempt == DELETES_AFTER_DRAIN) {
          return done;
        }
      }
    } catch (Halt halt) {
      return result(target, halt.outcome(), drained.drained(), halt.detail());
    }
  }

  /** The result of a shown deletion that was never acted on (not drained, not deleted). */
  private static DeletionResult untouched(Plan.Deletion shown, Outcome outcome, String detail) {
    return new DeletionResult(
        shown.cluster(), shown.version().name(), shown.version().uid(), outcome, false, detail);
  }

  private static DeletionResult result(
      Target target, Outcome outcome, boolean drained, String detail) {
    return Deletes.result(target, outcome, drained, detail);
  }
}
