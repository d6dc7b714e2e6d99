package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.podPath;
import static io.spinclean.kube.apply.ApplyFixture.rsPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 10, item 5: after {@code --drain}, the version is read again and deleted with the
 * resourceVersion read, provided only the drain's own change and status writes happened since the
 * fresh snapshot. stream-consumer-v003 (first in the article's plan) is drained; one of its pods
 * keeps its traffic label (a concurrent Enable), so the drain polls, and the test changes the
 * ReplicaSet "meanwhile", at the first poll's sleep.
 */
class DrainRecheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V003 = "stream-consumer-v003";

  private ApplyFixture fx;
  private Plan shown;

  @BeforeEach
  void start() throws Exception {
    fx = new ApplyFixture();
    shown = fx.article();
    fx.server
        .expect()
        .patch()
        .withPath(podPath("stream-consumer-v003-h5v9b"))
        .andReturn(200, "{}")
        .always();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private ApplyReport drainWhile(UnaryOperator<ReplicaSetBuilder> change) throws Exception {
    fx.sleeper.meanwhile(
        n -> {
          if (n == 1) {
            fx.admin
                .apps()
                .replicaSets()
                .inNamespace(ApplyFixture.NS)
                .withName(V003)
                .edit(rs -> change.apply(new ReplicaSetBuilder(rs)).build());
          }
        });
    return fx.executor(ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(2))).execute(shown);
  }

  @Test
  void theDeleteCarriesTheResourceVersionTheControllersStatusWriteMade() throws Exception {
    ApplyReport report = fx.executor(ApplyOptions.DEFAULT.withDrain(Duration.ZERO)).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    List<ApplyFixture.Call> calls = fx.calls();
    List<String> lines = calls.stream().map(ApplyFixture.Call::toString).toList();
    int patch = lines.indexOf("PATCH " + rsPath(V003));
    int delete = lines.indexOf("DELETE " + rsPath(V003));
    assertThat(lines.subList(patch, delete))
        .contains(
            "GET /apis/apps/v1/namespaces/example/replicasets"
                + "?fieldSelector=metadata.name%3D"
                + V003);
    assertThat(lines).containsOnlyOnce("DELETE " + rsPath(V003));
    assertThat(JSON.readTree(calls.get(delete).body()).at("/preconditions/uid").asString())
        .isEqualTo(shown.deletions().get(0).version().uid());
  }

  @Test
  void aStatusWriteDuringTheDrainDoesNotStopTheDelete() throws Exception {
    ApplyReport report =
        drainWhile(rs -> rs.editOrNewStatus().withReadyReplicas(1).withReplicas(2).endStatus());

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(fx.replicaSetNames()).doesNotContain(V003);
  }

  @Test
  void aLabelChangedDuringTheDrainLeavesTheVersionDrainedButNotDeleted() throws Exception {
    ApplyReport report =
        drainWhile(rs -> rs.editMetadata().addToLabels("team", "payments").endMetadata());

    assertThat(report.results().get(0))
        .extracting(DeletionResult::outcome, DeletionResult::drained, DeletionResult::detail)
        .containsExactly(
            Outcome.SKIPPED_CHANGED,
            true,
            "changed since the fresh snapshot (labels, annotations, replicas or pod template):"
                + " drained, not deleted");
    assertThat(fx.replicaSetNames()).contains(V003);
  }

  @Test
  void aSpecChangedDuringTheDrainLeavesTheVersionDrainedButNotDeleted() throws Exception {
    ApplyReport report = drainWhile(rs -> rs.editSpec().withMinReadySeconds(30).endSpec());

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.SKIPPED_CHANGED);
    assertThat(report.results().get(0).detail())
        .startsWith("its spec changed after the drain (generation 2 is now 3)")
        .endsWith("drained, not deleted");
    assertThat(fx.replicaSetNames()).contains(V003);
  }
}
