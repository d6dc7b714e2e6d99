package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.read.DumpReader;
import io.spinclean.kube.read.InputException;
import io.spinclean.kube.read.LiveReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code spinclean plan}: what would happen and why, for every version. Never writes. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Show, for every version of every selected Spinnaker cluster, whether it is kept, deleted"
          + " or retained, and why. Reads the live cluster, or kubectl dumps with -f. Makes no"
          + " change."
    },
    footer = {
      "",
      "Examples:",
      "  spinclean plan -n example",
      "  kubectl get rs,pods,svc -A -o json | spinclean plan -f - -o json",
      "  spinclean plan -f examples/article.json --application webapp",
      "  spinclean plan --all-contexts -A -o json",
      "  spinclean plan --context prod-eu,prod-us --parallel 2",
      "",
      "With several contexts (--context a,b or --all-contexts) each is read and planned on its"
          + " own, with its own credentials and default namespace (unless -n/-A), at most"
          + " --parallel at once; the output is in kubeconfig order. A context that fails is"
          + " reported and the others are planned. --max-deletions counts over the whole run:"
          + " when all contexts together would delete more, every context is refused.",
      "",
      "Exit codes: 0 ok; 1 could not run (with several contexts: one of them); 2 usage error or"
          + " unreadable input; 3 a cluster was refused."
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand Spinclean root;

  @Mixin SelectionOptions selection;
  @Mixin PolicyOptions policyOptions;
  @Mixin ContextOptions connection;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description =
          "Read objects from FILE, as printed by `kubectl get replicasets,pods,services"
              + " -o json|yaml` (repeatable; - = stdin) instead of the live cluster.")
  List<String> files = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (default), json, or spinnaker (the table plus one"
              + " SPINNAKER_CONFIG_JSON line for a Run Job stage).")
  OutputFormat output;

  @Override
  public Integer call() {
    selection.validate();
    connection.validate();
    if (files.isEmpty() && connection.several()) {
      return PlanContexts.run(root, connection, selection, policyOptions, output);
    }
    try {
      Plan plan = files.isEmpty() ? planLive() : planFiles();
      int code = plan.anyRefused() ? ExitCode.REFUSED : ExitCode.OK;
      root.out.print(Output.render(plan, output, code));
      return code;
    } catch (InputException e) {
      return Output.fail(root, output, e.getMessage(), ExitCode.USAGE);
    } catch (ApiException e) {
      return Output.fail(root, output, e.getMessage(), ExitCode.COULD_NOT_RUN);
    }
  }

  private Plan planFiles() throws InputException {
    Snapshot snapshot = DumpReader.read(files, root.in, root.clock.instant());
    Policy policy = policyOptions.toPolicy(selection.namespaceSet(), selection);
    return new Planner(policy).plan(snapshot);
  }

  private Plan planLive() throws ApiException {
    try (KubeConnection conn = KubeConnection.open(connection.kubeconfig, connection.single())) {
      Scope scope = selection.scope(conn.defaultNamespace());
      Policy policy = policyOptions.toPolicy(Set.copyOf(scope.namespaces()), selection);
      return new Planner(policy).plan(LiveReader.snapshot(conn, scope, root.clock));
    }
  }
}
