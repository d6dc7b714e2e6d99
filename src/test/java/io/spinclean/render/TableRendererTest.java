package io.spinclean.render;

import static io.spinclean.render.SnapshotBuilder.days;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRendererTest {
  @Test
  void planShowsEveryVerdictActionReasonAndFlag() {
    Golden.assertMatches("plan.txt", TableRenderer.render(Scenarios.plan()));
  }

  @Test
  void maxDeletionsRefusesEveryCleanupCluster() {
    Golden.assertMatches("max-deletions.txt", TableRenderer.render(Scenarios.maxDeletionsPlan()));
  }

  @Test
  void applyReportShowsThePlanThenEveryOutcome() {
    Golden.assertMatches("apply.txt", TableRenderer.render(Scenarios.report()));
  }

  @Test
  void emptyPlanSaysSoInOneLine() {
    assertThat(TableRenderer.render(Scenarios.emptyPlan()))
        .isEqualTo("No Spinnaker clusters found in the selection.\n");
  }

  @Test
  void emptyApplyReportSaysNothingWasToDelete() {
    assertThat(TableRenderer.render(Scenarios.emptyReport()))
        .isEqualTo(
            "No Spinnaker clusters found in the selection.\n\nOutcome: nothing to delete.\n");
  }

  @Test
  void columnsLineUpAcrossEveryClusterBlock() {
    List<String> lines = TableRenderer.render(Scenarios.plan()).lines().toList();
    int headers = 0;
    int actionColumn = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("  NAME ")) {
        continue;
      }
      headers++;
      int column = lines.get(i).indexOf("ACTION");
      assertThat(actionColumn).as("ACTION column of block %d", headers).isIn(-1, column);
      actionColumn = column;
      for (int j = i + 1;
          j < lines.size() && lines.get(j).startsWith("  ") && !lines.get(j).startsWith("  !");
          j++) {
        assertThat(lines.get(j).substring(column))
            .as(lines.get(j))
            .startsWith(actionOf(lines.get(j)) + " ");
      }
    }
    assertThat(headers).isEqualTo(Scenarios.plan().clusters().size());
  }

  @Test
  void agesAreMeasuredFromTheSnapshotNotFromTheClock() {
    Plan plan = Scenarios.plan();
    Plan later = new Plan(plan.takenAt().plus(Duration.ofDays(1)), plan.policy(), plan.clusters());
    String workers = "  workers-v007  ";
    assertThat(rowOf(TableRenderer.render(plan), workers)).contains(" 20d ");
    assertThat(rowOf(TableRenderer.render(later), workers)).contains(" 21d ");
  }

  @Test
  void summaryCountsClustersAndVersionsFromThePlan() {
    assertThat(TableRenderer.render(Scenarios.plan()).lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "8 clusters: 2 cleanup, 2 clean, 3 refused, 1 skipped; "
                + "20 versions: 5 to delete, 5 to keep, 10 to retain.");
  }

  @Test
  void controlCharactersFromClusterDataAreEscapedNotPrinted() {
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.version("example", "evil", 1).age(days(2)).traffic("evil").idlePods(1);
    b.version("example", "evil", 2)
        .age(days(1))
        .annotation("traffic.spinnaker.io/load-balancers", "\u001b[2J\nservice evil")
        .idlePods(1);
    String table = TableRenderer.render(new Planner(Policy.DEFAULT).plan(b.build()));
    assertThat(table).doesNotContain("\u001b").contains("\\u001b[2J\\nservice evil");
    // policy line, blank, header, services, column header, 2 rows, blank, summary
    assertThat(table.lines()).hasSize(9);
  }

  @Test
  void bidiAndOtherInvisibleControlsAreEscapedToo() {
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.version("example", "evil", 1).age(days(2)).traffic("evil").idlePods(1);
    b.version("example", "evil", 2)
        .age(days(1))
        .annotation(
            "traffic.spinnaker.io/load-balancers",
            "\u202e[\"service evil\"]\u2066\u2069\u200e\u200f\u061c\u202a\u2028\u0085\u007f")
        .idlePods(1);
    String table = TableRenderer.render(new Planner(Policy.DEFAULT).plan(b.build()));
    assertThat(table.lines().filter(l -> l.startsWith("example/")))
        .containsExactly(
            "example/evil  cluster \"replicaSet evil\"  REFUSED (MALFORMED_ANNOTATION): evil-v002:"
                + " traffic.spinnaker.io/load-balancers is not a JSON list of strings:"
                + " \\u202e[\"service evil\"]\\u2066\\u2069\\u200e\\u200f\\u061c\\u202a"
                + "\\u2028\\u0085\\u007f");
    assertThat(table.codePoints().filter(c -> c != '\n' && (c < 0x20 || c >= 0x7f))).isEmpty();
  }

  private static String actionOf(String row) {
    for (String action : List.of("KEEP", "DELETE", "RETAIN")) {
      if (row.contains(" " + action + " ")) {
        return action;
      }
    }
    throw new AssertionError("no action in row: " + row);
  }

  private static String rowOf(String table, String prefix) {
    return table.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
