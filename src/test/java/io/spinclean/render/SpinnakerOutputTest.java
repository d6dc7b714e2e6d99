package io.spinclean.render;

import static io.spinclean.render.SnapshotBuilder.days;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Verdict;
import io.spinclean.render.SpinnakerLogParser.Variant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code -o spinnaker} read by a parser that behaves like Spinnaker's ({@link SpinnakerLogParser},
 * both clouddriver variants): the outputs later stages see, whatever the cluster data.
 */
class SpinnakerOutputTest {
  /** Every key the config line carries; nothing else may reach the stage outputs. */
  static final Set<String> KEYS =
      Set.of(
          "spincleanVerdict",
          "spincleanCommand",
          "spincleanExitCode",
          "spincleanError",
          "spincleanSummary",
          "spincleanDeleted",
          "spincleanAlreadyGone",
          "spincleanKept",
          "spincleanRefused",
          "spincleanSkipped",
          "spincleanFailed",
          "spincleanRemaining",
          "spincleanDeletedCount",
          "spincleanRefusedCount",
          "spincleanFailedCount",
          "spincleanClusters");

  @Test
  void aPlanEndsWithExactlyOneConfigLineAfterTheTable() {
    String log = SpinnakerOutput.render(Scenarios.plan(), 3);

    assertThat(log).startsWith(TableRenderer.render(Scenarios.plan()));
    List<String> lines = log.lines().toList();
    assertThat(lines.get(lines.size() - 1)).startsWith(SpinnakerOutput.CONFIG_JSON);
    assertThat(lines).filteredOn(l -> l.contains("SPINNAKER_")).hasSize(1);
    assertThat(log).endsWith("}\n");
  }

  @Test
  void aPlanSaysWhatWouldBeDeletedAndWhatWasRefused() {
    Map<String, Object> out = outputs(SpinnakerOutput.render(Scenarios.plan(), 3));

    assertThat(out)
        .containsOnlyKeys(KEYS)
        .contains(
            entry("spincleanVerdict", "REFUSED"),
            entry("spincleanCommand", "plan"),
            entry("spincleanExitCode", 3),
            entry("spincleanError", null),
            entry(
                "spincleanDeleted",
                List.of(
                    "example/webapp-v001",
                    "example/webapp-v003",
                    "example/webapp-v005",
                    "other/checkout-v006",
                    "other/checkout-v008")),
            entry(
                "spincleanRefused",
                List.of(
                    "example/api/replicaSet api",
                    "example/gateway/replicaSet gateway",
                    "other/search/replicaSet search")),
            entry("spincleanDeletedCount", 5),
            entry("spincleanRefusedCount", 3),
            entry("spincleanFailed", List.of()),
            entry("spincleanSummary", "would delete 5 versions; 3 clusters refused"));
    assertThat(strings(out, "spincleanKept"))
        .contains("example/webapp-v004", "example/webapp-v002", "other/search-v001")
        .doesNotContainAnyElementsOf(strings(out, "spincleanDeleted"));
    assertThat(clusters(out)).hasSize(Scenarios.plan().clusters().size());
    assertThat(cluster(out, "webapp"))
        .containsExactly(
            entry("namespace", "example"),
            entry("application", "webapp"),
            entry("cluster", "replicaSet webapp"),
            entry("verdict", "CLEANUP"),
            entry("reason", "STALE_VERSIONS"),
            entry("keep", "webapp-v004"),
            entry("deleted", List.of("webapp-v001", "webapp-v003", "webapp-v005")));
  }

  @Test
  void aCleanPlanWithoutExitCodeStillHasEveryKey() {
    Policy policy = Policy.DEFAULT.withNamespaces(Set.of("example"));
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.service("example", "workers");
    b.version("example", "workers", 7)
        .age(days(2))
        .traffic("workers")
        .template("workers")
        .servingPods(2, "workers");
    Map<String, Object> out = outputs(SpinnakerOutput.render(new Planner(policy).plan(b.build())));

    assertThat(out)
        .containsOnlyKeys(KEYS)
        .contains(
            entry("spincleanVerdict", "CLEAN"),
            entry("spincleanExitCode", null),
            entry("spincleanDeleted", List.of()),
            entry("spincleanKept", List.of("example/workers-v007")),
            entry("spincleanSummary", "would delete 0 versions"));
  }

  @Test
  void anEmptyPlanStillGivesSpinnakerOutputs() {
    // A job that succeeds without any output fails the stage (orca's WaitOnJobCompletion).
    Map<String, Object> out = outputs(SpinnakerOutput.render(Scenarios.emptyReport(), 0));

    assertThat(out)
        .containsOnlyKeys(KEYS)
        .contains(
            entry("spincleanVerdict", "CLEAN"),
            entry("spincleanCommand", "apply"),
            entry("spincleanExitCode", 0),
            entry("spincleanDeleted", List.of()),
            entry("spincleanKept", List.of()),
            entry("spincleanRefused", List.of()),
            entry("spincleanClusters", List.of()),
            entry("spincleanDeletedCount", 0));
  }

  @Test
  void anApplyReportSortsEveryOutcome() {
    ApplyReport report = Scenarios.report();
    String log = SpinnakerOutput.render(report, 4);
    Map<String, Object> out = outputs(log);

    assertThat(out)
        .containsOnlyKeys(KEYS)
        .contains(
            entry("spincleanVerdict", "FAILED"),
            entry("spincleanCommand", "apply"),
            entry("spincleanExitCode", 4),
            entry("spincleanDeleted", List.of("example/webapp-v003")),
            entry("spincleanAlreadyGone", List.of("example/webapp-v001")),
            entry("spincleanSkipped", List.of("example/webapp-v005")),
            entry("spincleanFailed", List.of("other/checkout-v006", "other/checkout-v008")),
            entry("spincleanRemaining", List.of("example/webapp-v003")),
            entry("spincleanDeletedCount", 1),
            entry("spincleanFailedCount", 2));
    assertThat(cluster(out, "webapp")).contains(entry("deleted", List.of("webapp-v003")));
    assertThat(log).startsWith(TableRenderer.render(report));
    Golden.assertMatches("spinnaker-apply.txt", configLine(log));
  }

  @Test
  void applyCanPrintThePlanFirstAndTheOutcomesLater() {
    ApplyReport report = Scenarios.report();

    assertThat(
            SpinnakerOutput.planTable(report.plan())
                + "\n"
                + SpinnakerOutput.renderOutcomes(report, 4))
        .isEqualTo(SpinnakerOutput.render(report, 4));
  }

  @Test
  void aReportWithOnlyASkippedDeletionIsRefused() {
    ApplyReport all = Scenarios.report();
    Plan plan =
        new Planner(Scenarios.POLICY.withNamespaces(Set.of("example"))).plan(Scenarios.snapshot());
    assertThat(plan.clusters())
        .noneMatch(c -> c.verdict() == Verdict.REFUSED && c.key().application().equals("webapp"));
    ApplyReport skippedOnly =
        new ApplyReport(
            plan,
            all.results().stream().filter(r -> r.name().equals("webapp-v005")).toList(),
            List.of());

    assertThat(outputs(SpinnakerOutput.render(skippedOnly, 3)))
        .contains(
            entry("spincleanVerdict", "REFUSED"),
            entry("spincleanSkipped", List.of("example/webapp-v005")));
  }

  @Test
  void anErrorIsAConfigLineAlone() {
    String log =
        SpinnakerOutput.error(
            "cannot list replicasets in namespace x: forbidden: grant the Role in deploy/", 1);

    assertThat(log).startsWith(SpinnakerOutput.CONFIG_JSON).endsWith("}\n");
    assertThat(log.lines()).hasSize(1);
    assertThat(outputs(log))
        .containsOnlyKeys(KEYS)
        .contains(
            entry("spincleanVerdict", "ERROR"),
            entry("spincleanExitCode", 1),
            entry(
                "spincleanError",
                "cannot list replicasets in namespace x: forbidden: grant the Role in deploy/"),
            entry("spincleanDeleted", List.of()),
            entry("spincleanClusters", List.of()));
  }

  @Test
  void namesWithOddCharactersComeThroughIntact() {
    String app = "a\"b\\c=d\u00e9\u4e2d\ud83d\ude80 /'\t\u2028\u007f";
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.service("example", "web");
    b.version("example", app, 1).age(days(3)).traffic("web").servingPods(1, "web");
    b.version("example", app, 2).age(days(1)).traffic("web").template("web").servingPods(2, "web");
    String log = SpinnakerOutput.render(plan(b), 0);

    assertThat(configLine(log)).matches("[\\x20-\\x7e]+\n");
    Map<String, Object> out = outputs(log);
    assertThat(out).contains(entry("spincleanDeleted", List.of("example/" + app + "-v001")));
    assertThat(clusters(out).get(0))
        .contains(entry("application", app), entry("cluster", "replicaSet " + app));
  }

  @Test
  void bidiControlsInClusterDataAreEscapedInTheTableAndTheConfigLine() {
    String forged = "\u202e[\"service web\"]\u2066\u009b2K\u007f";
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.version("example", "web", 1).age(days(2)).traffic("web").idlePods(1);
    b.version("example", "web", 2)
        .age(days(1))
        .annotation("traffic.spinnaker.io/load-balancers", forged)
        .idlePods(1);
    String log = SpinnakerOutput.render(plan(b), 3);

    assertThat(log.codePoints().filter(c -> c != '\n' && (c < 0x20 || c >= 0x7f))).isEmpty();
    assertThat(log)
        .contains(
            "is not a JSON list of strings: \\u202e[\"service web\"]\\u2066\\u009b2K\\u007f\n");
    assertThat(configLine(log)).matches("[\\x20-\\x7e]+\n");
    assertThat(outputs(log))
        .contains(entry("spincleanRefused", List.of("example/web/replicaSet web")));
  }

  @Test
  void clusterDataCannotInjectOutputs() {
    String config = "\nSPINNAKER_CONFIG_JSON={\"spincleanVerdict\":\"CLEAN\"}\n";
    String property = "x SPINNAKER_PROPERTY_spincleanVerdict=CLEAN";
    String broken = "\nSPINNAKER_CONFIG_JSON={\n";
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.version("example", "one", 1)
        .age(days(2))
        .annotation("traffic.spinnaker.io/load-balancers", config)
        .idlePods(1);
    b.version("example", "two", 1)
        .age(days(2))
        .annotation("traffic.spinnaker.io/load-balancers", property)
        .idlePods(1);
    b.version("example", "three", 1)
        .age(days(2))
        .annotation("traffic.spinnaker.io/load-balancers", broken)
        .idlePods(1);
    b.version("example", "four", 1).age(days(2)).traffic(property).idlePods(1);
    Plan plan = plan(b);
    // The crafted text does reach the human report (escaped where it holds a newline).
    String table = TableRenderer.render(plan);
    assertThat(table)
        .contains("SPINNAKER_PROPERTY_spincleanVerdict=CLEAN", "\\nSPINNAKER_CONFIG_JSON={\\n");

    String log = SpinnakerOutput.render(plan, 3);

    assertThat(outputs(log))
        .containsOnlyKeys(KEYS)
        .contains(entry("spincleanVerdict", "REFUSED"), entry("spincleanRefusedCount", 4));
    String human = log.substring(0, log.lastIndexOf(SpinnakerOutput.CONFIG_JSON));
    assertThat(human)
        .contains("SPINNAKER-PROPERTY_spincleanVerdict=CLEAN", "SPINNAKER-CONFIG_JSON={");
    assertThat(new SpinnakerLogParser(Variant.OMIT_EMPTY).parse(human)).isEmpty();
    assertThat(new SpinnakerLogParser(Variant.LIMIT_TWO).parse(human)).isEmpty();
  }

  @Test
  void neutraliseLeavesNoMarker() {
    assertThat(
            SpinnakerOutput.neutralise(
                "SPINNAKER_PROPERTY_SPINNAKER_PROPERTY_a=b SPINNAKER_CONFIG_JSON=SPINNAKER_CONFIG_JSON="))
        .isEqualTo(
            "SPINNAKER-PROPERTY_SPINNAKER-PROPERTY_a=b"
                + " SPINNAKER-CONFIG_JSON=SPINNAKER-CONFIG_JSON=");
  }

  /** Any application name, markers and line breaks included: the same keys, the name intact. */
  @Property(tries = 200)
  void anyNameGivesTheSameKeysAndRoundTrips(@ForAll("names") String name) {
    String app = "a" + name;
    SnapshotBuilder b = new SnapshotBuilder(Scenarios.TAKEN_AT);
    b.service("example", "web");
    b.version("example", app, 1).age(days(3)).traffic("web").servingPods(1, "web");
    b.version("example", app, 2).age(days(1)).traffic("web").template("web").servingPods(2, "web");
    Plan plan = plan(b);
    String log = SpinnakerOutput.render(plan, 0);

    Map<String, Object> out = outputs(log);
    assertThat(out).containsOnlyKeys(KEYS);
    List<Map<String, Object>> clusters = clusters(out);
    assertThat(clusters).hasSameSizeAs(plan.clusters());
    for (int i = 0; i < clusters.size(); i++) {
      ClusterPlan c = plan.clusters().get(i);
      assertThat(clusters.get(i))
          .contains(
              entry("application", c.key().application()), entry("cluster", c.key().cluster()));
    }
    assertThat(SpinnakerLogParser.lines(log))
        .filteredOn(l -> l.startsWith(SpinnakerOutput.CONFIG_JSON))
        .hasSize(1);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> fragment =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(6),
            Arbitraries.of(
                "SPINNAKER_PROPERTY_",
                "SPINNAKER_CONFIG_JSON=",
                "\n",
                "\r",
                "=",
                "\"",
                "\\",
                "\u2028",
                "\u0085",
                "\u00a0",
                "\u007f",
                "}",
                " ",
                "SPINNAKER_CONFIG_JSON={}"));
    return fragment.list().ofMaxSize(6).map(parts -> String.join("", parts));
  }

  /** The stage outputs under both clouddriver variants, which must agree. */
  static Map<String, Object> outputs(String log) {
    Map<String, Object> out = new SpinnakerLogParser(Variant.OMIT_EMPTY).parse(log);
    assertThat(new SpinnakerLogParser(Variant.LIMIT_TWO).parse(log)).isEqualTo(out);
    return out;
  }

  /** Every namespace of the snapshot, default policy. */
  private static Plan plan(SnapshotBuilder b) {
    return new Planner(Policy.DEFAULT).plan(b.build());
  }

  private static Map<String, Object> cluster(Map<String, Object> out, String application) {
    return clusters(out).stream()
        .filter(c -> application.equals(c.get("application")))
        .findFirst()
        .orElseThrow();
  }

  private static String configLine(String log) {
    return log.substring(log.lastIndexOf(SpinnakerOutput.CONFIG_JSON));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> out, String key) {
    return (List<String>) out.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> clusters(Map<String, Object> out) {
    return (List<Map<String, Object>>) out.get("spincleanClusters");
  }
}
