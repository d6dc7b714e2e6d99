package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.rsPath;
import static io.spinclean.kube.apply.ApplyFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.Requests;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What apply does when the API server misbehaves on a delete: each fault ends in the documented
 * outcome, and nothing is deleted that the outcome does not say. The plan of the article deletes,
 * in order: stream-consumer-v003, webapp-v002, workers-v005, workers-v006.
 */
class ExecutorFaultTest {
  private static final String FIRST = "stream-consumer-v003";
  private static final List<String> ALL =
      List.of(
          "stream-consumer-v003",
          "stream-consumer-v004",
          "webapp-v001",
          "webapp-v002",
          "workers-v005",
          "workers-v006",
          "workers-v007");

  private ApplyFixture fx;

  private Plan article(ApplyFixture fixture) throws Exception {
    fx = fixture;
    return fx.article();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<String> deleteAttempts() {
    return fx.writes().stream()
        .filter(c -> c.method().equals("DELETE"))
        .map(c -> c.path())
        .toList();
  }

  @Test
  void notFoundOnDeleteMeansAlreadyGoneAndTheRunGoesOn() throws Exception {
    Plan shown = article(new ApplyFixture());
    SnapshotSource fresh =
        fx.readThenChange(() -> fx.admin.resource(fx.replicaSet("webapp-v002")).delete());

    ApplyReport report = fx.executor(fresh, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple(FIRST, Outcome.DELETED),
            tuple("webapp-v002", Outcome.ALREADY_GONE),
            tuple("workers-v005", Outcome.DELETED),
            tuple("workers-v006", Outcome.DELETED));
    assertThat(report.anyFailed()).isFalse();
  }

  @Test
  void conflictOnDeleteSkipsTheVersionAndDeletesNothingOfIt() throws Exception {
    Plan shown = article(new ApplyFixture());
    // Changed after the fresh read: the server refuses the delete's resourceVersion precondition.
    SnapshotSource fresh =
        fx.readThenChange(
            () ->
                fx.admin
                    .apps()
                    .replicaSets()
                    .inNamespace(ApplyFixture.NS)
                    .withName("webapp-v002")
                    .edit(
                        rs -> {
                          rs.getMetadata().getAnnotations().put("touched-by", "someone else");
                          return rs;
                        }));

    ApplyReport report = fx.executor(fresh, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple(FIRST, Outcome.DELETED),
            tuple("webapp-v002", Outcome.SKIPPED_CHANGED),
            tuple("workers-v005", Outcome.DELETED),
            tuple("workers-v006", Outcome.DELETED));
    assertThat(report.results().get(1).detail()).contains("409 Conflict");
    assertThat(fx.replicaSetNames()).contains("webapp-v002");
  }

  /**
   * Issue 10, item 11: the server deleted it but its answer was lost; the retry's 404 is our own
   * delete, not someone else's, and must count as a deletion (watch's hourly cap counts DELETED).
   */
  @Test
  void aDeleteWhoseAnswerWasLostAndWhoseRetryFindsItGoneIsOurDeletion() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.loseAnswers("DELETE", rsPath("webapp-v002"), ApplyFixture.Loss.SERVER_ERROR, 1);

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple(FIRST, Outcome.DELETED),
            tuple("webapp-v002", Outcome.DELETED),
            tuple("workers-v005", Outcome.DELETED),
            tuple("workers-v006", Outcome.DELETED));
    assertThat(report.results().get(1).detail())
        .isEqualTo(
            "the answer to the first delete was lost (500 Internal Server Error); the retry found"
                + " it gone (404)");
    assertThat(deleteAttempts())
        .containsExactly(
            rsPath(FIRST),
            rsPath("webapp-v002"),
            rsPath("webapp-v002"),
            rsPath("workers-v005"),
            rsPath("workers-v006"));
  }

  @Test
  void aDeleteWhoseAnswerTimedOutAndWhoseRetryFindsItGoneIsOurDeletion() throws Exception {
    Plan shown = article(new ApplyFixture(Duration.ofMillis(500)));
    fx.loseAnswers("DELETE", rsPath("webapp-v002"), ApplyFixture.Loss.TIMEOUT, 1);

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results().get(1).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(report.results().get(1).detail())
        .isEqualTo(
            "the answer to the first delete was lost (timed out); the retry found it gone (404)");
    assertThat(fx.replicaSetNames()).doesNotContain("webapp-v002");
  }

  @Test
  void aServerErrorIsRetriedThenFailsAndNothingMoreIsAttempted() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(500, status(500, "InternalError", "etcdserver: request timed out"))
        .always();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple(FIRST, Outcome.FAILED),
            tuple("webapp-v002", Outcome.NOT_ATTEMPTED),
            tuple("workers-v005", Outcome.NOT_ATTEMPTED),
            tuple("workers-v006", Outcome.NOT_ATTEMPTED));
    assertThat(report.results().get(0).detail())
        .startsWith("cannot delete replicasets in namespace example: ")
        .contains("500")
        .contains("etcdserver: request timed out");
    assertThat(deleteAttempts())
        .containsExactly(rsPath(FIRST), rsPath(FIRST), rsPath(FIRST), rsPath(FIRST));
    assertThat(fx.sleeper.sleeps())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(ALL);
  }

  @Test
  void aServiceUnavailableThatRecoversWithinTheRetriesDeletes() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(503, status(503, "ServiceUnavailable", "the server is shutting down"))
        .times(2);

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(fx.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(fx.replicaSetNames())
        .containsExactly("stream-consumer-v004", "webapp-v001", "workers-v007");
  }

  @Test
  void tooManyRequestsWaitsAsLongAsRetryAfterSays() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(429, status(429, "TooManyRequests", "too many requests, please try again later"))
        .withHeader("Retry-After", "7")
        .once();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(fx.sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
    assertThat(deleteAttempts()).hasSize(5);
  }

  @Test
  void throttlingThatNeverEndsFailsAfterBoundedRetriesWithRetryAfterCapped() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(429, status(429, "TooManyRequests", "too many requests, please try again later"))
        .withHeader("Retry-After", "120")
        .always();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(report.results().get(0).detail())
        .startsWith("cannot delete replicasets in namespace example: ")
        .contains("429");
    assertThat(fx.sleeper.sleeps())
        .containsExactly(
            Requests.MAX_RETRY_AFTER, Requests.MAX_RETRY_AFTER, Requests.MAX_RETRY_AFTER);
    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(ALL);
  }

  @Test
  void forbiddenNamesTheDeniedVerbAndResourceAndIsNotRetried() throws Exception {
    Plan shown = article(new ApplyFixture());
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(
            403,
            status(
                403,
                "Forbidden",
                "replicasets.apps \\\""
                    + FIRST
                    + "\\\" is"
                    + " forbidden: User \\\"system:serviceaccount:example:spinclean\\\" cannot delete"
                    + " resource \\\"replicasets\\\" in API group \\\"apps\\\" in the namespace"
                    + " \\\"example\\\""))
        .always();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(report.results().get(0).detail())
        .isEqualTo(
            "cannot delete replicasets in namespace example: forbidden (403): grant the Role in"
                + " deploy/");
    assertThat(report.results().get(1).detail()).contains("example/" + FIRST);
    assertThat(deleteAttempts()).containsExactly(rsPath(FIRST));
    assertThat(fx.sleeper.sleeps()).isEmpty();
    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(ALL);
  }

  @Test
  void anAnswerSlowerThanTheRequestTimeoutFails() throws Exception {
    Plan shown = article(new ApplyFixture(Duration.ofMillis(250)));
    fx.server
        .expect()
        .delete()
        .delay(2, TimeUnit.SECONDS)
        .withPath(rsPath(FIRST))
        .andReturn(200, "{}")
        .always();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(report.results().get(0).detail())
        .startsWith(
            "cannot delete replicasets in namespace example: timed out after 250ms waiting for the"
                + " Kubernetes API server at http://localhost:");
    assertThat(fx.sleeper.sleeps()).hasSize(Requests.MAX_RETRIES);
    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(ALL);
  }

  @Test
  void aVersionDeletedBetweenPlanAndApplyIsAlreadyGoneWithoutARequest() throws Exception {
    Plan shown = article(new ApplyFixture());
    SnapshotSource fresh =
        fx.changeThenRead(() -> fx.admin.resource(fx.replicaSet("webapp-v002")).delete());

    ApplyReport report = fx.executor(fresh, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results().get(1).outcome()).isEqualTo(Outcome.ALREADY_GONE);
    assertThat(deleteAttempts())
        .containsExactly(rsPath(FIRST), rsPath("workers-v005"), rsPath("workers-v006"));
  }

  @Test
  void aVersionReplacedUnderTheSameNameIsNotDeleted() throws Exception {
    Plan shown = article(new ApplyFixture());
    String[] newUid = new String[1];
    SnapshotSource fresh =
        fx.changeThenRead(
            () -> {
              var old = fx.replicaSet("webapp-v002");
              fx.admin.resource(old).delete();
              old.getMetadata().setUid(null);
              old.getMetadata().setResourceVersion(null);
              newUid[0] = fx.admin.resource(old).create().getMetadata().getUid();
            });

    ApplyReport report = fx.executor(fresh, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results().get(1).outcome()).isEqualTo(Outcome.SKIPPED_CHANGED);
    assertThat(report.results().get(1).detail()).contains("replaced").contains(newUid[0]);
    assertThat(fx.replicaSet("webapp-v002").getMetadata().getUid()).isEqualTo(newUid[0]);
    assertThat(deleteAttempts()).doesNotContain(rsPath("webapp-v002"));
  }
}
