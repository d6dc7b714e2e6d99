package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster changes while apply runs: between the shown plan and the fresh one, or because
 * another apply runs at the same time. apply does what the shown plan shows, or less, and never
 * touches a keeper.
 */
class ApplyConcurrencyTest {
  private static final List<String> KEEPERS =
      List.of("stream-consumer-v004", "webapp-v001", "workers-v007");

  private ApplyFixture fx;
  private Plan shown;

  @BeforeEach
  void start() throws Exception {
    fx = new ApplyFixture();
    shown = fx.article();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void aDecisionThatChangedBetweenTheSnapshotsIsSkippedAndNothingNewIsDeleted() throws Exception {
    // Meanwhile someone rolls workers back to v006 and a redeploy of webapp finally gets ready:
    // a pod of the old workers-v006 becomes Ready and labeled, workers-v007 loses its labels;
    // webapp-v002's pods become Ready while webapp-v001 loses its labels.
    SnapshotSource fresh =
        fx.changeThenRead(
            () -> {
              relabel("workers-v006-d7k3p", true, true);
              for (String pod :
                  List.of(
                      "workers-v007-b4m6j",
                      "workers-v007-n9z3h",
                      "workers-v007-y1q5l",
                      "webapp-v001-q7x2m",
                      "webapp-v001-t9c4d")) {
                relabel(pod, false, true);
              }
              relabel("webapp-v002-k2j8w", true, true);
              relabel("webapp-v002-p4n6z", true, true);
            });

    ApplyReport report = fx.executor(fresh, ApplyOptions.DEFAULT).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED),
            tuple("webapp-v002", Outcome.SKIPPED_CHANGED),
            tuple("workers-v005", Outcome.DELETED),
            tuple("workers-v006", Outcome.SKIPPED_CHANGED));
    assertThat(report.results().get(1).detail())
        .startsWith("now KEEP (NEWEST_SERVING) in a fresh plan");
    // The fresh plan now deletes webapp-v001 and workers-v007; the shown one did not: untouched.
    assertThat(fx.replicaSetNames())
        .containsExactly(
            "stream-consumer-v004", "webapp-v001", "webapp-v002", "workers-v006", "workers-v007");
    assertThat(fx.writes())
        .extracting(ApplyFixture.Call::toString)
        .containsExactly(
            "DELETE " + ApplyFixture.rsPath("stream-consumer-v003"),
            "DELETE " + ApplyFixture.rsPath("workers-v005"));
  }

  @Test
  void aSecondApplyOfTheSamePlanFindsEverythingGoneAndWritesNothing() throws Exception {
    fx.executor(ApplyOptions.DEFAULT).execute(shown);
    fx.forgetRequests();

    ApplyReport second = fx.executor(ApplyOptions.DEFAULT).execute(shown);

    assertThat(second.results())
        .extracting(DeletionResult::outcome)
        .containsOnly(Outcome.ALREADY_GONE);
    assertThat(fx.writes()).isEmpty();
    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(KEEPERS);
  }

  @Test
  void twoAppliesAtOnceNeverTouchAKeeper() throws Exception {
    ApplyOptions drain = ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(30));
    CountDownLatch go = new CountDownLatch(1);
    Callable<ApplyReport> apply =
        () -> {
          go.await();
          return fx.executor(drain).execute(shown);
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<ApplyReport> reports = new ArrayList<>();
    try {
      Future<ApplyReport> first = threads.submit(apply);
      Future<ApplyReport> second = threads.submit(apply);
      go.countDown();
      reports.add(first.get(60, TimeUnit.SECONDS));
      reports.add(second.get(60, TimeUnit.SECONDS));
    } finally {
      threads.shutdownNow();
    }

    assertThat(fx.replicaSetNames()).containsExactlyElementsOf(KEEPERS);
    for (String keeper : KEEPERS) {
      assertThat(fx.podsOf(keeper))
          .isNotEmpty()
          .allSatisfy(
              p -> assertThat(p.getMetadata().getLabels()).containsKey(ApplyFixture.SELECTOR_KEY));
    }
    assertThat(fx.writes())
        .noneMatch(
            w ->
                KEEPERS.stream()
                    .anyMatch(k -> w.path().endsWith("/" + k) || w.path().contains("/" + k + "-")));
    for (ApplyReport report : reports) {
      assertThat(report.results())
          .extracting(DeletionResult::outcome)
          .allMatch(
              o ->
                  o == Outcome.DELETED
                      || o == Outcome.ALREADY_GONE
                      || o == Outcome.SKIPPED_CHANGED);
    }
  }

  /** Sets a pod's Ready condition and the presence of its Service selector label. */
  private void relabel(String pod, boolean labeled, boolean ready) {
    fx.admin
        .pods()
        .inNamespace(NS)
        .withName(pod)
        .edit(
            p -> {
              String app = p.getMetadata().getLabels().get("app");
              if (labeled) {
                p.getMetadata().getLabels().put(ApplyFixture.SELECTOR_KEY, app);
              } else {
                p.getMetadata().getLabels().remove(ApplyFixture.SELECTOR_KEY);
              }
              List<PodCondition> conditions = new ArrayList<>(p.getStatus().getConditions());
              conditions.removeIf(c -> "Ready".equals(c.getType()));
              conditions.add(
                  new PodConditionBuilder()
                      .withType("Ready")
                      .withStatus(ready ? "True" : "False")
                      .build());
              p.getStatus().setConditions(conditions);
              return p;
            });
  }
}
