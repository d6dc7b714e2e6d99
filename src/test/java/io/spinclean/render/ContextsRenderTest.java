package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The output of a run over several contexts: the documented JSON, tables and Spinnaker outputs. */
class ContextsRenderTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final SchemaValidator VALIDATOR =
      new SchemaValidator(MAPPER.readTree(Path.of("docs", "plan.schema.json")));
  static final String UNREACHABLE = "cannot reach the Kubernetes API server at https://10.0.0.9";

  /** prod-eu and prod-us hold the same clusters; staging could not be read. */
  static List<ContextResult> planned() {
    return List.of(
        ContextResult.planned("prod-eu", Scenarios.plan()),
        ContextResult.failed("staging", UNREACHABLE),
        ContextResult.planned("prod-us", Scenarios.plan()));
  }

  static List<ContextResult> applied() {
    ApplyReport report = Scenarios.report();
    return List.of(
        new ContextResult("prod-eu", report.plan(), report, null),
        ContextResult.failed("staging", UNREACHABLE),
        new ContextResult(null, report.plan(), report, null));
  }

  static ApplyReport empty() {
    return new ApplyReport(
        new Plan(Scenarios.TAKEN_AT, Policy.DEFAULT, List.of()), List.of(), List.of());
  }

  @Test
  void planJsonFollowsTheSchemaCarriesContextsAndCountsOverAll() {
    JsonNode doc = MAPPER.readTree(ContextsJson.render(planned(), empty(), false));
    JsonNode one = MAPPER.readTree(JsonRenderer.render(Scenarios.plan()));

    assertThat(VALIDATOR.validate(doc)).isEmpty();
    int n = one.get("clusters").size();
    assertThat(doc.get("clusters")).hasSize(2 * n);
    assertThat(doc.at("/clusters/0/context").asString()).isEqualTo("prod-eu");
    assertThat(doc.at("/clusters/" + n + "/context").asString()).isEqualTo("prod-us");
    assertThat(doc.at("/summary/versions").asInt())
        .isEqualTo(2 * one.at("/summary/versions").asInt());
    assertThat(doc.at("/summary/actions/DELETE").asInt())
        .isEqualTo(2 * one.at("/summary/actions/DELETE").asInt());
    assertThat(doc.at("/contexts/1/name").asString()).isEqualTo("staging");
    assertThat(doc.at("/contexts/1/status").asString()).isEqualTo("error");
    assertThat(doc.at("/contexts/1/error").asString()).isEqualTo(UNREACHABLE);
    assertThat(doc.at("/contexts/2/error").isNull()).isTrue();
  }

  @Test
  void applyJsonFollowsTheSchemaAndTagsEveryOutcome() {
    JsonNode doc = MAPPER.readTree(ContextsJson.render(applied(), empty(), true));

    assertThat(VALIDATOR.validate(doc)).isEmpty();
    int n = Scenarios.report().results().size();
    assertThat(doc.get("outcomes")).hasSize(2 * n);
    assertThat(doc.at("/outcomes/0/context").asString()).isEqualTo("prod-eu");
    assertThat(doc.at("/outcomes/" + n + "/context").isNull()).isTrue();
    assertThat(doc.at("/contexts/2/name").isNull()).isTrue();
  }

  @Test
  void everyContextFailedStillGivesAValidDocument() {
    List<ContextResult> none = List.of(ContextResult.failed("a", UNREACHABLE));

    assertThat(VALIDATOR.validate(MAPPER.readTree(ContextsJson.render(none, empty(), false))))
        .isEmpty();
    assertThat(VALIDATOR.validate(MAPPER.readTree(ContextsJson.render(none, empty(), true))))
        .isEmpty();
  }

  @Test
  void spinnakerOutputsStayValidWithPerContextCounts() {
    String log =
        SpinnakerOutput.neutralise(ContextsTable.render(planned()))
            + ContextsSpinnaker.plan(planned(), 1);
    Map<String, Object> outputs =
        new SpinnakerLogParser(SpinnakerLogParser.Variant.OMIT_EMPTY).parse(log);
    int one = Scenarios.plan().deletions().size();

    assertThat(outputs.get("spincleanVerdict")).isEqualTo("ERROR");
    assertThat(outputs.get("spincleanExitCode")).isEqualTo(1);
    assertThat(outputs.get("spincleanDeletedCount")).isEqualTo(2 * one);
    assertThat(outputs.get("spincleanError")).isEqualTo("staging: " + UNREACHABLE);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> contexts =
        (List<Map<String, Object>>) outputs.get("spincleanContexts");
    assertThat(contexts)
        .extracting(c -> c.get("name"))
        .containsExactly("prod-eu", "staging", "prod-us");
    assertThat(contexts)
        .extracting(c -> c.get("spincleanDeletedCount"))
        .containsExactly(one, 0, one);
    @SuppressWarnings("unchecked")
    List<String> deleted = (List<String>) outputs.get("spincleanDeleted");
    assertThat(deleted).allMatch(ref -> ref.startsWith("prod-eu/") || ref.startsWith("prod-us/"));
  }

  @Test
  void aContextNameCannotForgeSpinnakerOutputs() {
    List<ContextResult> forged =
        List.of(
            ContextResult.planned("SPINNAKER_PROPERTY_x=1", Scenarios.plan()),
            ContextResult.failed("\nSPINNAKER_CONFIG_JSON={}", UNREACHABLE));
    String log =
        SpinnakerOutput.neutralise(ContextsTable.render(forged))
            + ContextsSpinnaker.plan(forged, 1);
    Map<String, Object> outputs =
        new SpinnakerLogParser(SpinnakerLogParser.Variant.OMIT_EMPTY).parse(log);

    assertThat(outputs).doesNotContainKey("x").containsKey("spincleanContexts");
    assertThat(log.lines())
        .filteredOn(l -> l.strip().startsWith("SPINNAKER_CONFIG_JSON="))
        .hasSize(1);
  }
}
