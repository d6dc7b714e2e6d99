package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10, High #2, end to end: anyone allowed to create pods adds a Ready pod that carries the
 * webapp Service's and webapp-v002's labels and an ownerReference to webapp-v002 without {@code
 * controller: true}. It is not webapp-v002's pod (its controller is none), so the failed candidate
 * still does not serve: the plan stays "keep webapp-v001, DELETE webapp-v002", and apply deletes
 * webapp-v002, never webapp-v001.
 */
class ForgedOwnerCliTest {
  static final Path FORGED = Path.of("src/test/resources/kube/forged/pod-webapp-v002-forged.json");

  @RegisterExtension final ArticleServer article = new ArticleServer();
  String kubeconfig;

  @BeforeEach
  void forge() throws Exception {
    article.server().load(FORGED);
    kubeconfig = article.kubeconfig();
  }

  @Test
  void theForgedPodDoesNotFlipTheKeeper() {
    Run plan = Run.of("plan", "--kubeconfig", kubeconfig, "--application", "webapp", "-o", "json");

    assertThat(plan.exitCode()).as(plan.err()).isZero();
    JsonNode webapp = JsonMapper.builder().build().readTree(plan.out()).at("/clusters/0");
    assertThat(webapp.get("keep").asString()).isEqualTo("webapp-v001");
    StringBuilder actions = new StringBuilder();
    for (JsonNode v : webapp.get("versions")) {
      actions.append(v.get("name").asString()).append(' ').append(v.get("action").asString());
      actions.append("; ");
    }
    assertThat(actions.toString()).isEqualTo("webapp-v001 KEEP; webapp-v002 DELETE; ");
  }

  @Test
  void applyDeletesTheFailedCandidateAndKeepsTheIncumbent() {
    Run apply = Run.of("apply", "--kubeconfig", kubeconfig, "--application", "webapp");

    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(article.exists("webapp-v001")).isTrue();
    assertThat(article.exists("webapp-v002")).isFalse();
  }
}
