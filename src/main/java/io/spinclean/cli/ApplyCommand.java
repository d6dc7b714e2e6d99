package io.spinclean.cli;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.ApiException;
import io.spinclean.kube.ApplyOptions;
import io.spinclean.kube.ApplyOptions.Cascade;
import io.spinclean.kube.Executor;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
      "",
      "Exit codes: 0 done; 1 could not run; 2 usage error; 3 a cluster was refused or a deletion"
          + " was skipped because its version changed; 4 a deletion failed."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand Spinclean root;

  @Mixin SelectionOptions selection;
  @Mixin PolicyOptions policyOptions;
  @Mixin ConnectionOptions connection;

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
      converter = GoDuration.class,
      description =
          "Before deleting a version whose pods still carry a Service's selector, remove"
              + " the selector labels as Spinnaker's Disable does, and wait up to DURATION for its"
              + " pods to stop serving.")
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
      converter = GoDuration.class,
      description =
          "Wait until the deleted ReplicaSets (with foreground cascade, their pods too)"
              + " are gone, up to TIMEOUT (default 5m), and report what remains.")
  Duration waitTimeout;

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
    try (KubeConnection conn = KubeConnection.open(connection.kubeconfig, connection.context)) {
      Scope scope = selection.scope(conn.defaultNamespace());
      Policy policy = policyOptions.toPolicy(Set.copyOf(scope.namespaces()), selection);
      Planner planner = new Planner(policy);
      SnapshotSource source = conn.source(scope, root.clock);
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
    ApplyReport report;
    if (shown.deletions().isEmpty()) {
      report = new ApplyReport(shown, List.of(), List.of());
    } else {
      ApplyOptions options =
          new ApplyOptions(Optional.ofNullable(drain), cascade, Optional.ofNullable(waitTimeout));
      try (StopSignal signal = StopSignal.install(WatchCommand.SHUTDOWN_GRACE)) {
        report = Executor.create(conn, source, planner, options, signal::stopping).execute(shown);
        return printed(report);
      }
    }
    return printed(report);
  }

  private int printed(ApplyReport report) {
    int code = exitCode(report);
    root.out.print(Output.afterApply(report, output, code));
    root.out.flush();
    return code;
  }

  static int exitCode(ApplyReport report) {
    if (report.anyFailed()) {
      return ExitCode.DELETION_FAILED;
    }
    boolean skipped =
        report.results().stream().anyMatch(r -> r.outcome() == Outcome.SKIPPED_CHANGED);
    return report.plan().anyRefused() || skipped ? ExitCode.REFUSED : ExitCode.OK;
  }
}
