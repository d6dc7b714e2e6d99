package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Action;
import io.spinclean.core.ClusterReason;
import io.spinclean.core.Outcome;
import io.spinclean.core.Reason;
import io.spinclean.core.Role;
import io.spinclean.core.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The rendered JSON against docs/plan.schema.json, the documented contract. */
class PlanSchemaTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNode SCHEMA = MAPPER.readTree(Path.of("docs", "plan.schema.json"));
  private static final SchemaValidator VALIDATOR = new SchemaValidator(SCHEMA);

  static Stream<Arguments> documents() {
    return Stream.of(
        Arguments.of("plan", JsonRenderer.render(Scenarios.plan())),
        Arguments.of("max-deletions plan", JsonRenderer.render(Scenarios.maxDeletionsPlan())),
        Arguments.of("empty plan", JsonRenderer.render(Scenarios.emptyPlan())),
        Arguments.of("apply report", JsonRenderer.render(Scenarios.report())),
        Arguments.of("empty apply report", JsonRenderer.render(Scenarios.emptyReport())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void renderedDocumentHasEveryRequiredFieldAndNoUndocumentedOne(String name, String json) {
    assertThat(VALIDATOR.validate(MAPPER.readTree(json))).isEmpty();
  }

  @Test
  void checkReportsAMissingRequiredFieldWithItsPath() {
    JsonNode doc = MAPPER.readTree(JsonRenderer.render(Scenarios.plan()));
    ((ObjectNode) doc.get("clusters").get(0).get("versions").get(1)).remove("serving");
    assertThat(VALIDATOR.validate(doc))
        .anyMatch(e -> e.contains("$.clusters[0].versions[1]: missing required field \"serving\""));
  }

  @Test
  void checkReportsAnUndocumentedField() {
    JsonNode doc = MAPPER.readTree(JsonRenderer.render(Scenarios.plan()));
    ((ObjectNode) doc.get("clusters").get(2)).put("colour", "blue");
    assertThat(VALIDATOR.validate(doc))
        .anyMatch(e -> e.contains("$.clusters[2]: field \"colour\" is not in the schema"));
  }

  @Test
  void anApplyReportWithoutOutcomesIsNotValid() {
    ObjectNode doc = (ObjectNode) MAPPER.readTree(JsonRenderer.render(Scenarios.report()));
    doc.remove("outcomes");
    assertThat(VALIDATOR.validate(doc)).isNotEmpty();
  }

  @Test
  void schemaEnumerationsListExactlyTheValuesOfTheCoreEnums() {
    JsonNode defs = SCHEMA.get("$defs");
    assertThat(values(defs.at("/cluster/properties/verdict/enum")))
        .isEqualTo(names(Verdict.values()));
    assertThat(values(defs.at("/cluster/properties/reason/enum")))
        .isEqualTo(names(ClusterReason.values()));
    assertThat(values(defs.at("/version/properties/role/enum"))).isEqualTo(names(Role.values()));
    assertThat(values(defs.at("/version/properties/action/enum")))
        .isEqualTo(names(Action.values()));
    assertThat(values(defs.at("/version/properties/reason/enum")))
        .isEqualTo(names(Reason.values()));
    assertThat(values(defs.at("/outcome/properties/outcome/enum")))
        .isEqualTo(names(Outcome.values()));
    List<String> versionOutcomes = new ArrayList<>(names(Outcome.values()));
    versionOutcomes.add("null");
    assertThat(values(defs.at("/version/properties/outcome/enum"))).isEqualTo(versionOutcomes);
  }

  @Test
  void everyFieldIsDescribed() {
    for (String def : List.of("planFields", "policy", "cluster", "version", "outcome")) {
      for (var property : SCHEMA.get("$defs").get(def).get("properties").properties()) {
        JsonNode schema = property.getValue();
        assertThat(schema.has("description") || schema.has("$ref"))
            .as("%s.%s has a description", def, property.getKey())
            .isTrue();
      }
    }
  }

  private static List<String> values(JsonNode array) {
    assertThat(array).isInstanceOf(ArrayNode.class);
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.isNull() ? "null" : v.asString()));
    return out;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
