package io.spinclean.cli;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.KubeConnection;
import io.spinclean.render.SpinnakerOutput;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every command that deletes says about it, whatever ran the deletions (apply on one context,
 * on several, demo): where it writes, the results of deletions that got none of their own, and the
 * exit code of a report.
 */
final class ApplyOutcomes {
  private ApplyOutcomes() {}

  /**
   * Says where a command that writes (apply, a context of a multi-context apply) is about to write,
   * before its first write: the API server, the credentials (context) and the namespaces of the
   * deletions. On stdout between plan and outcomes, except with {@code -o json}, whose stdout is
   * one document: there on stderr.
   */
  static void announce(Spinclean root, OutputFormat output, KubeConnection conn, Plan shown) {
    String line = whereItWrites(conn, shown);
    switch (output) {
      case TABLE -> root.out.print("\n" + line + "\n");
      case SPINNAKER -> root.out.print("\n" + SpinnakerOutput.neutralise(line) + "\n");
      case JSON -> root.err.println("spinclean: " + line);
    }
    root.out.flush();
  }

  /** "applying to SERVER as CREDENTIALS: N deletions in namespace NS", one line. */
  static String whereItWrites(KubeConnection conn, Plan shown) {
    Set<String> namespaces = new TreeSet<>();
    shown.deletions().forEach(d -> namespaces.add(d.cluster().namespace()));
    int n = shown.deletions().size();
    return ("applying to "
            + conn.server()
            + " as "
            + conn.credentials()
            + ": "
            + n
            + (n == 1 ? " deletion" : " deletions")
            + (namespaces.size() == 1 ? " in namespace " : " in namespaces ")
            + String.join(", ", namespaces))
        .replaceAll("[\\p{Cc}\\p{Cf}]", "?"); // a context name is text from a file
  }

  /** What a planned deletion whose executor failed unexpectedly is reported with. */
  static final String UNKNOWN = "outcome unknown: spinclean failed during apply (internal error)";

  /** Every deletion of {@code plan}, none with a result of its own: {@code outcome}, why. */
  static ApplyReport unwritten(Plan plan, Outcome outcome, String detail) {
    return new ApplyReport(
        plan,
        plan.deletions().stream()
            .map(
                d ->
                    new DeletionResult(
                        d.cluster(), d.version().name(), d.version().uid(), outcome, false, detail))
            .toList(),
        List.of());
  }

  /** The exit code of a report: 4, then 3, then 5, then 0 (see {@link ExitCode}). */
  static int exitCode(ApplyReport report) {
    if (report.anyFailed()) {
      return ExitCode.DELETION_FAILED;
    }
    boolean skipped =
        report.results().stream().anyMatch(r -> r.outcome() == Outcome.SKIPPED_CHANGED);
    if (report.plan().anyRefused() || skipped) {
      return ExitCode.REFUSED;
    }
    return report.anyRemaining() ? ExitCode.WAIT_TIMED_OUT : ExitCode.OK;
  }
}
