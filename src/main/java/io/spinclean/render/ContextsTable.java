package io.spinclean.render;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of a run over several Kubernetes contexts: for each context, in kubeconfig order, a
 * heading {@code == context NAME ==} above the table {@link TableRenderer} prints for it (or the
 * sentence why it failed); then one summary line per context and the total. Pure.
 */
public final class ContextsTable {
  private ContextsTable() {}

  /** The plans, each under its context's heading, then the per-context and total summary. */
  public static String render(List<ContextResult> contexts) {
    StringBuilder out = new StringBuilder();
    for (ContextResult c : contexts) {
      out.append(out.isEmpty() ? "" : "\n").append(heading(c));
      if (c.plan() != null) {
        out.append(TableRenderer.render(c.plan()));
      } else {
        out.append("error: ").append(SafeText.printable(c.error())).append('\n');
      }
    }
    out.append("\nContexts:\n");
    List<ClusterPlan> all = new ArrayList<>();
    int failed = 0;
    for (ContextResult c : contexts) {
      out.append("  ").append(c.label()).append(": ");
      if (c.plan() == null) {
        failed++;
        out.append("error: ").append(SafeText.printable(c.error())).append('\n');
      } else {
        all.addAll(c.plan().clusters());
        out.append(TableRenderer.summary(c.plan())).append('\n');
      }
    }
    Plan total = new Plan(Instant.EPOCH, policy(contexts), List.copyOf(all));
    out.append("Total over ")
        .append(count(contexts.size(), "context"))
        .append(failed == 0 ? "" : " (" + failed + " failed)")
        .append(": ")
        .append(TableRenderer.summary(total))
        .append('\n');
    return out.toString();
  }

  /**
   * What apply did in each context, under its heading: the outcomes {@link TableRenderer} prints,
   * and the sentence why a context failed; then the total over every context.
   */
  public static String renderOutcomes(List<ContextResult> contexts) {
    StringBuilder out = new StringBuilder();
    List<DeletionResult> results = new ArrayList<>();
    List<String> remaining = new ArrayList<>();
    Plan any = null;
    for (ContextResult c : contexts) {
      if (c.ok() && (c.report() == null || nothingDone(c.report()))) {
        continue;
      }
      out.append(out.isEmpty() ? "" : "\n").append(heading(c));
      if (c.report() != null) {
        out.append(TableRenderer.renderOutcomes(c.report()));
        results.addAll(c.report().results());
        remaining.addAll(c.report().remaining());
        any = c.report().plan();
      }
      if (!c.ok()) {
        out.append("error: ").append(SafeText.printable(c.error())).append('\n');
      }
    }
    if (any != null && !results.isEmpty()) {
      String all = TableRenderer.renderOutcomes(new ApplyReport(any, results, remaining));
      String[] lines = all.split("\n", -1);
      out.append("\nTotal: ").append(lines[lines.length - 2]).append('\n');
    }
    return out.toString();
  }

  private static boolean nothingDone(ApplyReport report) {
    return report.results().isEmpty() && report.remaining().isEmpty();
  }

  private static String heading(ContextResult c) {
    return "== context " + c.label() + " ==\n";
  }

  private static Policy policy(List<ContextResult> contexts) {
    for (ContextResult c : contexts) {
      if (c.plan() != null) {
        return c.plan().policy();
      }
    }
    return Policy.DEFAULT;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
