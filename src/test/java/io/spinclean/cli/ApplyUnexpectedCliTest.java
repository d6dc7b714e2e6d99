package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 7: a failure after deletions must not lose the report. {@code apply --drain ... -o
 * spinnaker} deleted one version, then met an error nobody planned for and printed "internal
 * error", exit 1, no outcomes and no SPINNAKER_CONFIG_JSON line. Here the unexpected error is a
 * proxy answering the second version's template patch with 200 and an HTML page (not JSON).
 */
class ApplyUnexpectedCliTest {
  private static final String WEBAPP_V002 =
      "/apis/apps/v1/namespaces/example/replicasets/webapp-v002";

  @RegisterExtension final ArticleServer article = new ArticleServer();
  String kubeconfig;

  @BeforeEach
  void start() {
    kubeconfig = article.kubeconfig();
  }

  @Test
  void anUnexpectedErrorAfterADeletionStillPrintsEveryOutcomeAndTheSpinnakerLine() {
    article
        .mock()
        .expect()
        .patch()
        .withPath(WEBAPP_V002)
        .andReturn(200, "<html><body>maintenance</body></html>")
        .once();

    Run apply = Run.of("apply", "--kubeconfig", kubeconfig, "--drain", "30s", "-o", "spinnaker");

    assertThat(apply.err()).doesNotContain("internal error");
    assertThat(apply.exitCode()).isEqualTo(4);
    assertThat(apply.out())
        .containsSubsequence(
            "example/stream-consumer-v003",
            "DELETED",
            "example/webapp-v002",
            "FAILED",
            "example/workers-v005",
            "NOT_ATTEMPTED",
            "example/workers-v006",
            "NOT_ATTEMPTED")
        .contains("unexpected error")
        .containsPattern("(?m)^SPINNAKER_CONFIG_JSON=\\{.*\\}$");
    assertThat(article.exists("stream-consumer-v003")).isFalse();
    assertThat(article.exists("webapp-v002")).isTrue();
  }
}
