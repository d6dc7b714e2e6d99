package io.spinclean.render;

import io.spinclean.core.Action;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link Plan} or an {@link ApplyReport} as aligned text for a person at a terminal: one
 * block per cluster (a header with the verdict, its Services, one row per version oldest first,
 * then its warnings), and a summary line. Every version shows its action and the reason for it,
 * kept versions too.
 *
 * <p>Pure: the same value always gives the same text. Ages are the snapshot's {@code takenAt} minus
 * a version's creation time, never a clock reading. Every line ends with {@code \n}.
 */
public final class TableRenderer {
  static final String NO_CLUSTERS = "No Spinnaker clusters found in the selection.";

  private TableRenderer() {}

  /** The plan: a policy line, one block per cluster, and a summary line. */
  public static String render(Plan plan) {
    StringBuilder out = new StringBuilder();
    appendPlan(out, plan);
    return out.toString();
  }

  /** The plan as {@link #render(Plan)} shows it, then what happened to each planned deletion. */
  public static String render(ApplyReport report) {
    StringBuilder out = new StringBuilder();
    appendPlan(out, report.plan());
    out.append('\n');
    appendOutcomes(out, report);
    return out.toString();
  }

  /**
   * Only the part of {@link #render(ApplyReport)} after the plan, for callers that print the plan
   * before they execute it: {@code render(plan) + "\n" + renderOutcomes(report)} equals {@code
   * render(report)}.
   */
  public static String renderOutcomes(ApplyReport report) {
    StringBuilder out = new StringBuilder();
    appendOutcomes(out, report);
    return out.toString();
  }

  private static void appendPlan(StringBuilder out, Plan plan) {
    if (plan.clusters().isEmpty()) {
      out.append(NO_CLUSTERS).append('\n');
      return;
    }
    out.append(policyLines(plan));
    // One table for the whole plan, so the columns of every block line up with each other.
    TextTable table =
        new TextTable(
            "NAME",
            "T",
            "AGE",
            "PODS",
            "SERVING",
            "TEMPLATE",
            "ACTION",
            "REASON",
            "FLAGS",
            "DETAIL");
    List<List<Integer>> rows = new ArrayList<>();
    for (ClusterPlan cluster : plan.clusters()) {
      List<Integer> indexes = new ArrayList<>();
      for (VersionPlan v : cluster.versions()) {
        indexes.add(table.add(row(plan, cluster, v)));
      }
      rows.add(indexes);
    }
    for (int c = 0; c < plan.clusters().size(); c++) {
      ClusterPlan cluster = plan.clusters().get(c);
      out.append('\n').append(SafeText.printable(clusterHeader(cluster))).append('\n');
      out.append("  services: ").append(SafeText.printable(services(cluster))).append('\n');
      out.append("  ").append(table.header()).append('\n');
      for (int index : rows.get(c)) {
        out.append("  ").append(table.row(index)).append('\n');
      }
      for (String warning : cluster.warnings()) {
        out.append("  ! ").append(SafeText.printable(warning)).append('\n');
      }
    }
    out.append('\n').append(summary(plan)).append('\n');
  }

  private static String policyLines(Plan plan) {
    Policy p = plan.policy();
    StringBuilder out = new StringBuilder();
    out.append("Snapshot taken ")
        .append(plan.takenAt())
        .append("; policy: keep-previous ")
        .append(p.keepPrevious())
        .append(", min-age ")
        .append(HumanDuration.exact(p.minAge()))
        .append(", max-deletions ")
        .append(p.maxDeletions().isPresent() ? p.maxDeletions().getAsInt() : "none")
        .append('\n');
    List<String> selection = new ArrayList<>();
    addSelection(selection, "namespaces", p.namespaces(), false);
    addSelection(selection, "applications", p.applications(), false);
    addSelection(selection, "clusters", p.clusters(), true);
    if (!selection.isEmpty()) {
      out.append("Selection: ")
          .append(SafeText.printable(String.join("; ", selection)))
          .append('\n');
    }
    return out.toString();
  }

  private static void addSelection(
      List<String> out, String what, Set<String> values, boolean quote) {
    if (values.isEmpty()) {
      return;
    }
    List<String> shown = new TreeSet<>(values).stream().map(v -> quote ? quote(v) : v).toList();
    out.add(what + " " + String.join(", ", shown));
  }

  /** {@code example/webapp cluster "replicaSet webapp" CLEANUP (STALE_VERSIONS): keep ...}. */
  private static String clusterHeader(ClusterPlan c) {
    return c.key().namespace()
        + "/"
        + c.key().application()
        + "  cluster "
        + quote(c.key().cluster())
        + "  "
        + c.verdict()
        + " ("
        + c.reason()
        + "): "
        + c.detail();
  }

  private static String services(ClusterPlan c) {
    String existing = c.services().isEmpty() ? "none" : String.join(", ", c.services());
    if (c.missingServices().isEmpty()) {
      return existing;
    }
    return existing + "; missing: " + String.join(", ", c.missingServices());
  }

  private static String[] row(Plan plan, ClusterPlan cluster, VersionPlan v) {
    // Without an existing Service (skipped or malformed cluster) traffic was never measured.
    boolean measured = !cluster.services().isEmpty();
    String serving = String.valueOf(v.serving());
    if (cluster.services().size() > 1 && v.isServing()) {
      // With several Services, which ones a version serves explains a TRAFFIC_GUARD refusal.
      serving += " (" + String.join(", ", v.servedServices()) + ")";
    }
    String age =
        v.createdAt() == null
            ? "?"
            : HumanDuration.age(Duration.between(v.createdAt(), plan.takenAt()));
    return new String[] {
      v.name(),
      v.isServing() ? "T" : "",
      age,
      v.readyPods() + "/" + v.pods(),
      measured ? serving : "-",
      measured ? (v.templateEnabled() ? "enabled" : "detached") : "-",
      v.action().name(),
      v.reason().name(),
      flags(v),
      // A refused or skipped cluster gives every version the cluster's own sentence: say it once.
      v.detail().equals(cluster.detail()) ? "see above" : v.detail()
    };
  }

  private static String flags(VersionPlan v) {
    List<String> flags = new ArrayList<>();
    if (v.halfDisabled()) {
      flags.add("half-disabled");
    }
    if (v.halfEnabled()) {
      flags.add("half-enabled");
    }
    if (v.protect()) {
      flags.add("protected");
    }
    if (v.labeledNotReady() > 0) {
      flags.add(v.labeledNotReady() + " labeled unready");
    }
    return String.join(", ", flags);
  }

  static String summary(Plan plan) {
    Plan.Summary s = plan.summary();
    StringBuilder out = new StringBuilder();
    out.append(count(s.clusters(), "cluster")).append(": ");
    List<String> verdicts = new ArrayList<>();
    // What will change comes first.
    for (Verdict v : List.of(Verdict.CLEANUP, Verdict.CLEAN, Verdict.REFUSED, Verdict.SKIPPED)) {
      verdicts.add(s.verdicts().getOrDefault(v, 0) + " " + v.name().toLowerCase(Locale.ROOT));
    }
    out.append(String.join(", ", verdicts)).append("; ");
    out.append(count(s.versions(), "version")).append(": ");
    out.append(s.actions().getOrDefault(Action.DELETE, 0)).append(" to delete, ");
    out.append(s.actions().getOrDefault(Action.KEEP, 0)).append(" to keep, ");
    out.append(s.actions().getOrDefault(Action.RETAIN, 0)).append(" to retain.");
    return out.toString();
  }

  private static void appendOutcomes(StringBuilder out, ApplyReport report) {
    if (report.results().isEmpty() && report.remaining().isEmpty()) {
      out.append("Outcome: nothing to delete.\n");
      return;
    }
    out.append("Outcome\n");
    TextTable table = new TextTable("VERSION", "OUTCOME");
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (DeletionResult r : report.results()) {
      counts.merge(r.outcome(), 1, Integer::sum);
      String what =
          r.outcome().name()
              + (r.drained() ? " (drained first)" : "")
              + (r.detail().isEmpty() ? "" : ": " + r.detail());
      table.add(r.cluster().namespace() + "/" + r.name(), what);
    }
    for (int i = 0; i < report.results().size(); i++) {
      out.append("  ").append(table.row(i)).append('\n');
    }
    for (String name : report.remaining()) {
      out.append("  ! still present after --wait: ").append(SafeText.printable(name)).append('\n');
    }
    List<String> parts = new ArrayList<>();
    for (Outcome o : Outcome.values()) {
      parts.add(counts.getOrDefault(o, 0) + " " + outcomeLabel(o));
    }
    out.append(count(report.results().size(), "planned deletion"))
        .append(": ")
        .append(String.join(", ", parts));
    if (!report.remaining().isEmpty()) {
      out.append("; ").append(report.remaining().size()).append(" still present");
    }
    out.append(".\n");
  }

  private static String outcomeLabel(Outcome o) {
    return switch (o) {
      case DELETED -> "deleted";
      case ALREADY_GONE -> "already gone";
      case SKIPPED_CHANGED -> "skipped (changed)";
      case FAILED -> "failed";
      case NOT_ATTEMPTED -> "not attempted";
    };
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
