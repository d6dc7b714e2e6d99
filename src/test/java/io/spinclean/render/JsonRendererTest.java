package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonRendererTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @Test
  void planDocument() {
    Golden.assertMatches("plan.json", JsonRenderer.render(Scenarios.plan()));
  }

  @Test
  void applyReportDocument() {
    Golden.assertMatches("apply.json", JsonRenderer.render(Scenarios.report()));
  }

  @Test
  void emptyPlanDocument() {
    Golden.assertMatches("empty.json", JsonRenderer.render(Scenarios.emptyPlan()));
  }

  @Test
  void everyDeletedVersionCarriesItsOutcomeAndNoOtherVersionDoes() {
    ApplyReport report = Scenarios.report();
    JsonNode doc = MAPPER.readTree(JsonRenderer.render(report));
    List<String> withOutcome = new ArrayList<>();
    for (JsonNode cluster : doc.get("clusters")) {
      for (JsonNode version : cluster.get("versions")) {
        assertThat(version.has("outcome")).as(version.get("name").asString()).isTrue();
        if (!version.get("outcome").isNull()) {
          assertThat(version.get("action").asString()).isEqualTo("DELETE");
          withOutcome.add(
              cluster.get("namespace").asString()
                  + "/"
                  + version.get("name").asString()
                  + " "
                  + version.get("outcome").asString());
        }
      }
    }
    assertThat(withOutcome)
        .containsExactlyElementsOf(
            report.results().stream()
                .map(r -> r.cluster().namespace() + "/" + r.name() + " " + r.outcome())
                .toList());
  }

  @Test
  void planDocumentHasNoOutcomes() {
    JsonNode doc = MAPPER.readTree(JsonRenderer.render(Scenarios.plan()));
    assertThat(doc.get("kind").asString()).isEqualTo("Plan");
    assertThat(doc.has("outcomes")).isFalse();
    for (JsonNode cluster : doc.get("clusters")) {
      for (JsonNode version : cluster.get("versions")) {
        assertThat(version.has("outcome")).isFalse();
      }
    }
  }

  @Test
  void outcomesListEveryResultInReportOrder() {
    ApplyReport report = Scenarios.report();
    JsonNode outcomes = MAPPER.readTree(JsonRenderer.render(report)).get("outcomes");
    assertThat(outcomes).hasSize(report.results().size());
    for (int i = 0; i < outcomes.size(); i++) {
      DeletionResult r = report.results().get(i);
      JsonNode o = outcomes.get(i);
      assertThat(o.get("name").asString()).isEqualTo(r.name());
      assertThat(o.get("outcome").asString()).isEqualTo(r.outcome().name());
      assertThat(o.get("drained").asBoolean()).isEqualTo(r.drained());
      assertThat(o.get("detail").asString()).isEqualTo(r.detail());
    }
  }

  @Test
  void selectionSetsAreSortedSoOutputDoesNotDependOnSetOrder() {
    Plan plan =
        new Plan(
            Scenarios.TAKEN_AT,
            Policy.DEFAULT.withNamespaces(Set.of("c", "a", "b")).withClusters(Set.of("z", "y")),
            List.of());
    JsonNode policy = MAPPER.readTree(JsonRenderer.render(plan)).get("policy");
    assertThat(policy.get("namespaces").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(policy.get("clusters").toString()).isEqualTo("[\"y\",\"z\"]");
    assertThat(policy.get("applications").toString()).isEqualTo("[]");
  }
}
