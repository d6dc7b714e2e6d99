package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * plan and apply through the command line against the embedded API server, connected the way a user
 * does it: with a kubeconfig file.
 */
class LiveCliTest {
  @RegisterExtension final ArticleServer article = new ArticleServer();
  EmbeddedApiServer server;
  String kubeconfig;

  @BeforeEach
  void start() {
    server = article.server();
    kubeconfig = article.kubeconfig();
  }

  @Test
  void planReadsTheContextNamespaceAndWritesNothing() {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("example/webapp", "example/stream-consumer", "example/workers")
        .contains("4 to delete");
    assertThat(Run.of("plan", "--kubeconfig", kubeconfig).out()).contains("4 to delete");
  }

  @Test
  void applyDeletesExactlyThePlannedVersionsAndReplanningFindsNothing() {
    Run apply = Run.of("apply", "--kubeconfig", kubeconfig, "-n", "example");

    assertThat(apply.exitCode()).isZero();
    assertThat(apply.err()).isEmpty();
    assertThat(apply.out()).contains("example/webapp-v002", "DELETED").contains("4 deleted");
    Run after = Run.of("plan", "--kubeconfig", kubeconfig, "-o", "json");
    JsonNode doc = JsonMapper.builder().build().readTree(after.out());
    assertThat(doc.at("/summary/actions/DELETE").asInt()).isZero();
    assertThat(doc.at("/summary/actions/KEEP").asInt()).isEqualTo(3);
    StringBuilder kept = new StringBuilder();
    for (JsonNode c : doc.get("clusters")) {
      kept.append(c.get("keep").asString()).append(' ');
    }
    assertThat(kept.toString().trim()).isEqualTo("stream-consumer-v004 webapp-v001 workers-v007");
  }

  @Test
  void applyJsonCarriesAnOutcomePerDeletion() {
    Run apply =
        Run.of("apply", "--kubeconfig", kubeconfig, "-o", "json", "--application", "workers");

    assertThat(apply.exitCode()).isZero();
    JsonNode doc = JsonMapper.builder().build().readTree(apply.out());
    assertThat(doc.get("outcomes")).hasSize(2);
    for (JsonNode o : doc.get("outcomes")) {
      assertThat(o.get("outcome").asString()).isEqualTo("DELETED");
    }
  }

  @Test
  void aRefusedApplyDeletesNothingAndExitsThree() {
    Run apply = Run.of("apply", "--kubeconfig", kubeconfig, "--max-deletions", "1");

    assertThat(apply.exitCode()).isEqualTo(3);
    assertThat(Run.of("plan", "--kubeconfig", kubeconfig).out()).contains("4 to delete");
  }

  @Test
  void unknownContextIsOneSentenceAndExitsOne() {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig, "--context", "prod");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("spinclean: context \"prod\" not found")
        .doesNotContain("\n");
  }

  @Test
  void unreachableServerIsOneSentenceAndExitsOne() throws Exception {
    String url = server.url();
    server.close();

    Run run = Run.of("apply", "--kubeconfig", kubeconfig);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).contains(url.replace("http://", "")).doesNotContain("\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingNamespaceIsOneSentenceAndExitsOne() {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig, "-n", "nowhere");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("nowhere").contains("does not exist");
  }
}
