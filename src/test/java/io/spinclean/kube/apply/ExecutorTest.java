package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.rsPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.read.LiveReader;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** apply on the article's three scenarios and the clouddriver fixtures, against the mock server. */
class ExecutorTest {
  static final String ARTICLE = "examples/article.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private ApplyFixture fx;

  @BeforeEach
  void start() {
    fx = new ApplyFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void articleScenariosLeaveOnlyTheKeepers() throws Exception {
    fx.load(ARTICLE);
    Plan shown = fx.plan();
    fx.forgetRequests();

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED),
            tuple("webapp-v002", Outcome.DELETED),
            tuple("workers-v005", Outcome.DELETED),
            tuple("workers-v006", Outcome.DELETED));
    assertThat(report.remaining()).isEmpty();
    assertThat(fx.replicaSetNames())
        .containsExactly("stream-consumer-v004", "webapp-v001", "workers-v007");
  }

  @Test
  void everyDeleteCarriesPreconditionsAndPropagationPolicyAndNothingElseIsWritten()
      throws Exception {
    fx.load(ARTICLE);
    Plan shown = fx.plan();
    String uid = fx.replicaSet("webapp-v002").getMetadata().getUid();
    String resourceVersion = fx.replicaSet("webapp-v002").getMetadata().getResourceVersion();
    fx.forgetRequests();

    fx.executor(ApplyOptions.DEFAULT).execute(shown);

    List<ApplyFixture.Call> writes = fx.writes();
    assertThat(writes)
        .extracting(ApplyFixture.Call::toString)
        .containsExactly(
            "DELETE " + rsPath("stream-consumer-v003"),
            "DELETE " + rsPath("webapp-v002"),
            "DELETE " + rsPath("workers-v005"),
            "DELETE " + rsPath("workers-v006"));
    JsonNode body = JSON.readTree(writes.get(1).body());
    assertThat(body.path("kind").asString()).isEqualTo("DeleteOptions");
    assertThat(body.path("preconditions").path("uid").asString()).isEqualTo(uid);
    assertThat(body.path("preconditions").path("resourceVersion").asString())
        .isEqualTo(resourceVersion);
    assertThat(body.path("propagationPolicy").asString()).isEqualTo("Background");
    assertThat(writes).allSatisfy(w -> assertThat(w.contentType()).startsWith("application/json"));
  }

  @Test
  void foregroundCascadeIsSentAndOrphanNever() throws Exception {
    fx.load(ARTICLE);
    Plan shown = fx.plan();
    fx.forgetRequests();

    fx.executor(ApplyOptions.DEFAULT.withCascade(ApplyOptions.Cascade.FOREGROUND)).execute(shown);

    assertThat(fx.writes())
        .hasSize(4)
        .allSatisfy(
            w ->
                assertThat(JSON.readTree(w.body()).path("propagationPolicy").asString())
                    .isEqualTo("Foreground"));
  }

  @Test
  void clouddriverFixturesDeleteTheDisabledVersionOnly() throws Exception {
    for (String file :
        List.of(
            "service-backendlb",
            "replicaset-backend-v014-disabled",
            "replicaset-backend-v015-enabled",
            "replicaset-frontend-deployment-owned",
            "pod-backend-v014-xkvwh-disabled",
            "pod-backend-v015-vhglj-enabled")) {
      fx.load("src/test/resources/apply/clouddriver/" + file + ".yml");
    }
    SnapshotSource reader = fx.reader("backend-ns", "frontend-ns");
    Plan shown = fx.planner.plan(reader.read());
    fx.forgetRequests();

    ApplyReport report = fx.executor(reader, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(tuple("backend-v014", Outcome.DELETED));
    assertThat(fx.admin.apps().replicaSets().inAnyNamespace().list().getItems())
        .extracting(rs -> rs.getMetadata().getName())
        .containsExactlyInAnyOrder("backend-v015", "frontend-5c6559f75f");
    assertThat(fx.writes())
        .extracting(ApplyFixture.Call::toString)
        .containsExactly("DELETE /apis/apps/v1/namespaces/backend-ns/replicasets/backend-v014");
  }

  @Test
  void reRunningOnTheStateItLeavesPlansAndWritesNothing() throws Exception {
    fx.load(ARTICLE);
    fx.executor(ApplyOptions.DEFAULT).execute(fx.plan());
    // the garbage collector took the deleted versions' pods
    assertThat(fx.podsOf("webapp-v002")).isEmpty();

    Plan again = fx.plan();
    fx.forgetRequests();
    ApplyReport second = fx.executor(ApplyOptions.DEFAULT).execute(again);

    assertThat(again.deletions()).isEmpty();
    assertThat(second.results()).isEmpty();
    assertThat(fx.writes()).isEmpty();
  }

  @Test
  void aFreshSnapshotThatCannotBeReadStopsBeforeAnyWrite() throws Exception {
    fx.load(ARTICLE);
    Plan shown = fx.plan();
    fx.server
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/example/replicasets?limit=500")
        .andReturn(503, ApplyFixture.status(503, "ServiceUnavailable", "shutting down"))
        .always();
    LiveReader reader = new LiveReader(fx.client, Clock.systemUTC());
    fx.forgetRequests();

    assertThatThrownBy(
            () ->
                fx.executor(() -> reader.read(Scope.of(ApplyFixture.NS)), ApplyOptions.DEFAULT)
                    .execute(shown))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("cannot list replicasets in namespace example: ")
        .hasMessageContaining("503");
    assertThat(fx.writes()).isEmpty();
    assertThat(fx.replicaSetNames()).hasSize(7);
  }
}
