package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;
import io.spinclean.render.ContextResult;
import io.spinclean.render.ContextsJson;
import io.spinclean.render.ContextsSpinnaker;
import io.spinclean.render.ContextsTable;
import io.spinclean.render.SpinnakerOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code plan} over several Kubernetes contexts ({@code --context a,b}, {@code --all-contexts}):
 * each context read and planned on its own, at most {@code --parallel} at once, printed in
 * kubeconfig order. A context that fails is reported with its sentence; the others are planned.
 */
final class PlanContexts {
  private PlanContexts() {}

  static int run(
      Spinclean root,
      ContextOptions connection,
      SelectionOptions selection,
      PolicyOptions policyOptions,
      OutputFormat output) {
    // usage errors first, before any context is read
    var base = policyOptions.toPolicy(selection.namespaceSet(), selection);
    List<String> names;
    try {
      names = connection.names();
    } catch (ApiException e) {
      return Output.fail(root, output, e.getMessage(), ExitCode.COULD_NOT_RUN);
    }
    List<ContextSession> sessions =
        Contexts.each(
            names,
            connection.parallel,
            name ->
                ContextSession.plan(
                    name, connection.kubeconfig, selection, policyOptions, root.clock));
    sessions.forEach(ContextSession::close);
    ContextSession.cap(sessions, policyOptions.maxDeletions);
    List<ContextResult> results = ContextSession.results(sessions);
    reportErrors(root, output, results);
    int code = exitCode(results);
    ApplyReport empty =
        new ApplyReport(new Plan(root.clock.instant(), base, List.of()), List.of(), List.of());
    root.out.print(
        switch (output) {
          case TABLE -> ContextsTable.render(results);
          case JSON -> ContextsJson.render(results, empty, false);
          case SPINNAKER ->
              SpinnakerOutput.neutralise(ContextsTable.render(results))
                  + ContextsSpinnaker.plan(results, code);
        });
    return code;
  }

  /** Each failed context's sentence on stderr too, where a pipeline's log looks for errors. */
  static void reportErrors(Spinclean root, OutputFormat output, List<ContextResult> results) {
    for (ContextResult r : results) {
      if (!r.ok()) {
        String line = "spinclean: context " + r.label() + ": " + r.error();
        root.err.println(
            output == OutputFormat.SPINNAKER ? SpinnakerOutput.neutralise(line) : line);
      }
    }
    root.err.flush();
  }

  private static int exitCode(List<ContextResult> results) {
    List<Integer> codes = new ArrayList<>();
    for (ContextResult r : results) {
      if (!r.ok()) {
        codes.add(ExitCode.COULD_NOT_RUN);
      } else {
        codes.add(r.plan().anyRefused() ? ExitCode.REFUSED : ExitCode.OK);
      }
    }
    return Contexts.worst(codes);
  }
}
