package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * deploy/monitoring, checked by the real tools: promtool checks the rules and runs their unit tests
 * (spinclean-rules.test.yml), kubectl renders the component onto the controller. Fails, never
 * skips, without promtool: .ci/run installs Debian's {@code prometheus}.
 */
class MonitoringRulesTest {
  static final Path DIR = Path.of("deploy", "monitoring");
  static final Path RULES = DIR.resolve("spinclean-rules.yml");
  static final Path TESTS = DIR.resolve("spinclean-rules.test.yml");
  static final Map<String, String> ENV = Map.of("PATH", System.getenv().getOrDefault("PATH", ""));

  static Path promtool() {
    return Tools.find("promtool", Tools.PROMETHEUS_HINT);
  }

  @Test
  void promtoolChecksTheRules() {
    String out = Tools.ok(ENV, promtool().toString(), "check", "rules", RULES.toString());
    assertThat(out).contains("SUCCESS: 5 rules found");
  }

  @Test
  void promtoolRunsTheUnitTestOfEveryAlert() throws IOException {
    String out = Tools.ok(ENV, promtool().toString(), "test", "rules", TESTS.toString());
    assertThat(out).contains("SUCCESS");

    // every alert is tested both ways: firing (expected alerts) and silent (none expected)
    Set<String> fires = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode test : yaml(TESTS).path("tests")) {
      for (JsonNode t : test.path("alert_rule_test")) {
        (t.path("exp_alerts").isEmpty() ? silent : fires).add(t.path("alertname").stringValue());
      }
    }
    assertThat(fires).as("alerts tested firing").isEqualTo(alerts());
    assertThat(silent).as("alerts tested silent").isEqualTo(alerts());
  }

  @Test
  void thePrometheusRuleHoldsExactlyTheGroupsOfTheRulesFile() throws IOException {
    JsonNode rule = yaml(DIR.resolve("prometheusrule.yaml"));
    assertThat(rule.path("kind").stringValue()).isEqualTo("PrometheusRule");
    assertThat(rule.path("spec")).isEqualTo(yaml(RULES));
  }

  @Test
  void everyAlertHasASummaryADescriptionAndARunbookSection() throws IOException {
    Set<String> anchors = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("docs", "controller.md"))) {
      if (line.startsWith("#")) {
        anchors.add(
            line.replaceFirst("^#+ ", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "")
                .replace(' ', '-'));
      }
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : yaml(RULES).path("groups").get(0).path("rules")) {
      String name = rule.path("alert").stringValue();
      JsonNode a = rule.path("annotations");
      if (a.path("summary").asString("").isBlank()
          || a.path("description").asString("").isBlank()) {
        problems.add(name + ": no summary or description");
      }
      String url = a.path("runbook_url").asString("");
      String anchor = url.substring(url.indexOf('#') + 1);
      if (!url.startsWith("docs/controller.md#") || !anchors.contains(anchor)) {
        problems.add(name + ": runbook_url " + url + " names no heading of docs/controller.md");
      }
      if (!anchor.equals(name.toLowerCase(Locale.ROOT))) {
        problems.add(name + ": runbook anchor " + anchor + " is not the alert's own section");
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The component on top of deploy/controller, as kubectl kustomize renders it. */
  @Test
  void kubectlRendersTheComponentOntoTheController() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("target"), "monitoring-kustomize");
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "namespace: spinclean\n"
            + "resources: [../../deploy/controller]\n"
            + "components: [../../deploy/monitoring]\n");
    String out;
    try {
      out = Tools.ok(ENV, Tools.KUBECTL.toString(), "kustomize", dir.toString());
    } finally {
      PrometheusAlertsIT.deleteTree(dir);
    }
    List<JsonNode> objects =
        Kustomize.YAML.readerFor(JsonNode.class).<JsonNode>readValues(out).readAll();
    JsonNode monitor = only(objects, "PodMonitor");
    JsonNode rule = only(objects, "PrometheusRule");
    JsonNode deployment = only(objects, "Deployment");

    assertThat(monitor.at("/metadata/namespace").stringValue()).isEqualTo("spinclean");
    assertThat(rule.at("/metadata/namespace").stringValue()).isEqualTo("spinclean");
    assertThat(rule.path("spec")).isEqualTo(yaml(RULES));
    // the PodMonitor selects the controller's pods and scrapes the port they name `metrics`
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    monitor
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
    List<String> ports = new ArrayList<>();
    deployment
        .at("/spec/template/spec/containers/0/ports")
        .forEach(p -> ports.add(p.path("name").stringValue()));
    assertThat(ports).contains(monitor.at("/spec/podMetricsEndpoints/0/port").stringValue());
  }

  static Set<String> alerts() throws IOException {
    Set<String> names = new TreeSet<>();
    yaml(RULES)
        .path("groups")
        .get(0)
        .path("rules")
        .forEach(r -> names.add(r.path("alert").stringValue()));
    return names;
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> found =
        objects.stream().filter(o -> kind.equals(o.path("kind").stringValue())).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  static JsonNode yaml(Path file) throws IOException {
    return Kustomize.YAML.readTree(Files.readString(file));
  }
}
