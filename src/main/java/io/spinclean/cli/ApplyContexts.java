package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.apply.ApplyOptions;
import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.apply.Executor;
import io.spinclean.render.ContextResult;
import io.spinclean.render.ContextsJson;
import io.spinclean.render.ContextsSpinnaker;
import io.spinclean.render.ContextsTable;
import io.spinclean.render.SpinnakerOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code apply} over several Kubernetes contexts: every context is planned first (at most {@code
 * --parallel} at once), --max-deletions is held over the whole run, every plan is printed in
 * kubeconfig order, then each context re-plans and deletes on its own, concurrently, with its own
 * connection. A context that fails is reported with its sentence; the others are applied.
 */
final class ApplyContexts {
  private final ApplyCommand command;
  private final Spinclean root;

  ApplyContexts(ApplyCommand command) {
    this.command = command;
    this.root = command.root;
  }

  int run() {
    command.policyOptions.toPolicy(command.selection.namespaceSet(), command.selection);
    List<String> names;
    try {
      names = command.connection.names();
    } catch (ApiException e) {
      return Output.fail(root, command.output, e.getMessage(), ExitCode.COULD_NOT_RUN);
    }
    int parallel = command.connection.parallel;
    List<ContextSession> sessions =
        Contexts.each(
            names,
            parallel,
            name ->
                ContextSession.plan(
                    name,
                    command.connection.kubeconfig,
                    command.selection,
                    command.policyOptions,
                    root.clock));
    try {
      ContextSession.cap(sessions, command.policyOptions.maxDeletions);
      List<ContextResult> shown = ContextSession.results(sessions);
      PlanContexts.reportErrors(root, command.output, shown);
      // Every plan comes first, before anything is written in any context.
      root.out.print(
          switch (command.output) {
            case TABLE -> ContextsTable.render(shown);
            case JSON -> "";
            case SPINNAKER -> SpinnakerOutput.neutralise(ContextsTable.render(shown));
          });
      root.out.flush();
      sessions.stream()
          .filter(s -> s.ok() && !s.plan.deletions().isEmpty())
          .forEach(this::announce);
      List<ContextResult> done;
      try (StopSignal signal = StopSignal.install(WatchCommand.SHUTDOWN_GRACE)) {
        ApplyOptions options =
            new ApplyOptions(
                Optional.ofNullable(command.drain),
                command.cascade,
                Optional.ofNullable(command.waitTimeout));
        if ("off".equals(command.backupTo)) {
          root.err.println("spinclean: --backup off: the deletions cannot be undone");
          root.err.flush();
        }
        // Each context writes its own bundle before its deletes; on stderr (-) two bundles
        // written at once would interleave between their BEGIN and END lines: one at a time.
        int writers = "-".equals(command.backupTo) ? 1 : parallel;
        done = Contexts.each(sessions, writers, s -> execute(s, options, signal));
      }
      List<ContextResult> failed = done.stream().filter(r -> !r.ok() && r.plan() != null).toList();
      PlanContexts.reportErrors(root, command.output, failed);
      int code = exitCode(done);
      root.out.print(
          switch (command.output) {
            case TABLE -> {
              String outcomes = ContextsTable.renderOutcomes(done);
              yield outcomes.isEmpty() ? "" : "\n" + outcomes;
            }
            case JSON -> ContextsJson.render(done, empty(), true);
            case SPINNAKER ->
                "\n"
                    + SpinnakerOutput.neutralise(ContextsTable.renderOutcomes(done))
                    + ContextsSpinnaker.apply(done, code);
          });
      root.out.flush();
      return code;
    } finally {
      sessions.forEach(ContextSession::close);
    }
  }

  private ContextResult execute(ContextSession s, ApplyOptions options, StopSignal signal) {
    if (!s.ok()) {
      return s.result();
    }
    if (s.plan.deletions().isEmpty()) {
      return new ContextResult(s.name, s.plan, new ApplyReport(s.plan, List.of(), List.of()), null);
    }
    Backup backup = null;
    try {
      backup =
          BackupOption.open(command.backupTo, root.env, root.err, command.header(s.conn, s.plan));
      ApplyReport report =
          Executor.create(s.conn, s.source, s.planner, options, signal::stopping)
              .backingUpTo(backup)
              .execute(s.plan);
      return new ContextResult(s.name, s.plan, report, null);
    } catch (ApiException e) {
      // nothing was written in this context: the fresh snapshot could not be read
      return new ContextResult(
          s.name,
          s.plan,
          ApplyOutcomes.unwritten(
              s.plan, Outcome.NOT_ATTEMPTED, "not attempted: " + e.getMessage()),
          e.getMessage());
    } catch (RuntimeException bug) {
      root.err.println("spinclean: internal error during apply in context " + s.name + ": " + bug);
      bug.printStackTrace(root.err);
      return new ContextResult(
          s.name,
          s.plan,
          ApplyOutcomes.unwritten(s.plan, Outcome.FAILED, ApplyOutcomes.UNKNOWN),
          "internal error: " + bug);
    } finally {
      closeBackup(s.name, backup);
    }
  }

  /** Closes a context's bundle and says on stderr where it is and how to restore it. */
  private void closeBackup(String context, Backup backup) {
    if (backup == null || !backup.enabled()) {
      return;
    }
    try {
      backup.close();
    } catch (IOException e) {
      root.err.println(
          "spinclean: context " + context + ": closing the backup bundle: " + e.getMessage());
    }
    backup
        .bundle()
        .ifPresent(
            bundle ->
                root.err.println(
                    "spinclean: context "
                        + context
                        + ": backup: "
                        + bundle
                        + backup.restoreCommand().map(r -> "; restore: " + r).orElse("")));
    root.err.flush();
  }

  /** As a single-context apply says where it writes, once per context that has deletions. */
  private void announce(ContextSession s) {
    ApplyOutcomes.announce(root, command.output, s.conn, s.plan);
  }

  private ApplyReport empty() {
    Plan none =
        new Plan(
            root.clock.instant(),
            command.policyOptions.toPolicy(command.selection.namespaceSet(), command.selection),
            List.of());
    return new ApplyReport(none, List.of(), List.of());
  }

  private static int exitCode(List<ContextResult> done) {
    List<Integer> codes = new ArrayList<>();
    for (ContextResult r : done) {
      codes.add(r.ok() ? ApplyOutcomes.exitCode(r.report()) : ExitCode.COULD_NOT_RUN);
    }
    return Contexts.worst(codes);
  }
}
