package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.apply.ApplyOptions;
import io.spinclean.kube.apply.ApplyOptions.Cascade;
import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.apply.BackupHeader;
import io.spinclean.kube.apply.Executor;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.render.BackupNote;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code spinclean apply}: prints the plan, then deletes what a fresh plan still agrees with. Does
 * exactly what the printed plan shows, or less.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Plan as `spinclean plan` does and print it, then read the cluster again and delete only the"
          + " versions that are DELETE in both plans with the same uid, each with preconditions"
          + " (uid, resourceVersion). Stops at the first unexpected API error. On SIGTERM or"
          + " Ctrl-C, the delete in flight completes, the rest is reported as not attempted,"
          + " and the report is printed before exiting (143)."
    },
    footer = {
      "",
      "Examples:",
      "  spinclean apply -n example",
      "  spinclean apply -n prod --application webapp --drain 2m --wait",
      "  spinclean apply -A --max-deletions 10 -o json",
      "  spinclean apply --context prod-eu,prod-us -n web --max-deletions 20",
      "",
      "With several contexts (--context a,b or --all-contexts) every context is planned first"
          + " and every plan printed, in kubeconfig order; then each context re-plans and deletes"
          + " on its own, with its own connection, at most --parallel at once. A context that"
          + " fails is reported and the others are applied. --max-deletions counts over the whole"
          + " run: when all contexts together would delete more, every context is refused and"
          + " nothing is deleted anywhere.",
      "",
      "Exit codes: 0 done; 1 could not run; 2 usage error; 3 a cluster was refused or a deletion"
          + " was skipped because its version changed; 4 a deletion failed (or its outcome is"
          + " unknown); 5 deleted, but --wait ended with objects remaining. When several apply (also"
          + " over several contexts): 1 and 2, then 4, then 3, then 5."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand Spinclean root;

  @Mixin SelectionOptions selection;
  @Mixin PolicyOptions policyOptions;
  @Mixin ContextOptions connection;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (default), json, or spinnaker (the report plus one"
              + " SPINNAKER_CONFIG_JSON line for a Run Job stage).")
  OutputFormat output;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = GoDuration.UpToAnHour.class,
      description =
          "Before deleting a version whose pods still carry a Service's selector, remove"
              + " the selector labels as Spinnaker's Disable does, and wait up to DURATION (at most"
              + " 1h) for its pods to stop serving.")
  Duration drain;

  @Option(
      names = "--cascade",
      paramLabel = "POLICY",
      defaultValue = "background",
      description =
          "background (default) or foreground: how Kubernetes deletes the pods of a"
              + " deleted ReplicaSet. Pods are never orphaned.")
  Cascade cascade;

  @Option(
      names = "--wait",
      paramLabel = "TIMEOUT",
      arity = "0..1",
      fallbackValue = "5m",
      converter = GoDuration.UpToAnHour.class,
      description =
          "Wait until the deleted ReplicaSets (with foreground cascade, their pods too)"
              + " are gone, up to TIMEOUT (default 5m, at most 1h), and report what remains; exit"
              + " 5 if some remain.")
  Duration waitTimeout;

  @Option(
      names = "--backup",
      paramLabel = "DIR|-|off",
      description =
          BackupOption.DESCRIPTION
              + " Default: $XDG_STATE_HOME/spinclean/backups, else ~/.local/state/spinclean/backups.")
  String backupTo;

  /** Accepted only to answer with a clear sentence rather than "unknown option". */
  @Option(
      names = {"-f", "--filename"},
      hidden = true,
      paramLabel = "FILE")
  List<String> files = List.of();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!files.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "apply acts on the live cluster only; to see a plan of a file use 'spinclean plan -f'");
    }
    selection.validate();
    connection.validate();
    if (connection.several()) {
      return new ApplyContexts(this).run();
    }
    try (KubeConnection conn = KubeConnection.open(connection.kubeconfig, connection.single())) {
      Scope scope = selection.scope(conn.defaultNamespace());
      Policy policy = policyOptions.toPolicy(Set.copyOf(scope.namespaces()), selection);
      Planner planner = new Planner(policy);
      SnapshotSource source = LiveReader.source(conn, scope, root.clock);
      return apply(conn, planner, source);
    } catch (ApiException e) {
      return Output.fail(root, output, e.getMessage(), ExitCode.COULD_NOT_RUN);
    }
  }

  private int apply(KubeConnection conn, Planner planner, SnapshotSource source)
      throws ApiException {
    Plan shown = planner.plan(source.read());
    // The plan comes first, before anything is written: it is what the user reads at 3 a.m.
    root.out.print(Output.planBeforeApply(shown, output));
    root.out.flush();
    if (shown.deletions().isEmpty()) {
      return printed(new ApplyReport(shown, List.of(), List.of()));
    }
    announce(conn, shown);
    ApplyOptions options =
        new ApplyOptions(Optional.ofNullable(drain), cascade, Optional.ofNullable(waitTimeout));
    // Printed before the signal handler is gone: after SIGTERM, closing it ends the process (143).
    try (StopSignal signal = StopSignal.install(WatchCommand.SHUTDOWN_GRACE)) {
      Backup backup = null;
      ApplyReport report;
      try {
        backup = BackupOption.open(backupTo, root.env, root.err, header(conn, shown));
        if (!backup.enabled()) {
          root.err.println("spinclean: --backup off: the deletions cannot be undone");
          root.err.flush();
        }
        report =
            Executor.create(conn, source, planner, options, signal::stopping)
                .backingUpTo(backup)
                .execute(shown);
      } catch (RuntimeException bug) {
        report = unknownOutcomes(shown, bug);
      }
      if (backup == null) {
        return printed(report);
      }
      try {
        backup.close();
      } catch (IOException e) {
        root.err.println("spinclean: closing the backup bundle: " + e.getMessage());
      }
      return printed(report, BackupOption.note(backup));
    }
  }

  /** What the bundle's header says about this run (also each context's, in a multi-context run). */
  BackupHeader header(KubeConnection conn, Plan shown) {
    Set<String> namespaces = new TreeSet<>();
    shown.deletions().forEach(d -> namespaces.add(d.cluster().namespace()));
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    return new BackupHeader(
        root.clock.instant(),
        conn.credentials(),
        conn.server(),
        List.copyOf(namespaces),
        "spinclean " + String.join(" ", args));
  }

  /**
   * Says where apply is about to write, before its first write ({@link ApplyOutcomes#announce}).
   */
  private void announce(KubeConnection conn, Plan shown) {
    ApplyOutcomes.announce(root, output, conn, shown);
  }

  /**
   * A bug, not a user error, after the plan was printed and perhaps after some deletions: the
   * executor's results are lost, so every planned deletion is reported FAILED with its outcome
   * unknown (exit 4), and the report (and the Spinnaker outputs line) is printed all the same. The
   * stack trace goes to stderr: it is what a bug report needs.
   */
  private ApplyReport unknownOutcomes(Plan shown, RuntimeException bug) {
    root.err.println(
        "spinclean: internal error during apply: "
            + bug
            + "; every planned deletion is reported FAILED, its outcome unknown: run 'spinclean"
            + " plan' to see what is left");
    bug.printStackTrace(root.err);
    root.err.flush();
    return ApplyOutcomes.unwritten(shown, Outcome.FAILED, ApplyOutcomes.UNKNOWN);
  }

  private int printed(ApplyReport report) {
    return printed(report, null);
  }

  private int printed(ApplyReport report, BackupNote backup) {
    int code = ApplyOutcomes.exitCode(report);
    root.out.print(Output.afterApply(report, output, code, backup));
    root.out.flush();
    return code;
  }
}
