package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code apply --wait}: after deleting, wait (bounded) until the deleted ReplicaSets, and with a
 * foreground cascade their pods, are gone; report what remains. The embedded server's garbage
 * collector deletes a deleted version's pods; pods with a finalizer outlive it (terminating) and,
 * with a foreground cascade, hold their ReplicaSet, until a test removes the finalizer "meanwhile",
 * at the executor's n-th sleep.
 */
class ApplyWaitTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private static final String REPLICA_SETS =
      "/apis/apps/v1/namespaces/example/replicasets?limit=500";
  private static final String PODS = "/api/v1/namespaces/example/pods";
  private static final List<String> DELETED =
      List.of("stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");

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
  void backgroundWaitEndsAsSoonAsTheReplicaSetsAreGone() throws Exception {
    ApplyReport report = fx.executor(ApplyOptions.DEFAULT.withWait(TEN_SECONDS)).execute(shown);

    assertThat(report.remaining()).isEmpty();
    assertThat(fx.sleeper.sleeps()).isEmpty();
    assertThat(fx.calls()).extracting(ApplyFixture.Call::toString).endsWith("GET " + REPLICA_SETS);
  }

  private static final List<String> WORKERS_PODS =
      List.of(
          "workers-v005-c1s5n", "workers-v006-d7k3p", "workers-v006-g2w9q", "workers-v006-r5t8v");

  /** The fresh read, after a finalizer (say, a log shipper's) was put on the workers' pods. */
  private SnapshotSource holdingWorkersPods() {
    return fx.changeThenRead(() -> WORKERS_PODS.forEach(pod -> finalizer(pod, true)));
  }

  private void finalizer(String pod, boolean hold) {
    fx.admin
        .pods()
        .inNamespace(ApplyFixture.NS)
        .withName(pod)
        .edit(
            p -> {
              p.getMetadata().setFinalizers(hold ? List.of("example.com/hold") : List.of());
              return p;
            });
  }

  @Test
  void foregroundWaitReportsWhatOutlivesTheTimeout() throws Exception {
    ApplyOptions options =
        ApplyOptions.DEFAULT.withCascade(ApplyOptions.Cascade.FOREGROUND).withWait(TEN_SECONDS);

    ApplyReport report = fx.executor(holdingWorkersPods(), options).execute(shown);

    // The pods are terminating, held by their finalizer; they hold their ReplicaSets in turn.
    assertThat(report.remaining())
        .containsExactly(
            "example/workers-v005",
            "example/workers-v006",
            "example/workers-v005-c1s5n (pod)",
            "example/workers-v006-d7k3p (pod)",
            "example/workers-v006-g2w9q (pod)",
            "example/workers-v006-r5t8v (pod)");
    assertThat(fx.sleeper.slept()).isEqualTo(TEN_SECONDS);
    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(report.results())
        .extracting(DeletionResult::detail)
        .containsExactly(
            "", "", "still present after --wait 10s", "still present after --wait 10s");
  }

  @Test
  void foregroundWaitEndsWhenTheLastPodIsGone() throws Exception {
    fx.sleeper.meanwhile(
        n -> {
          if (n == 2) {
            WORKERS_PODS.forEach(pod -> finalizer(pod, false));
          }
        });
    ApplyOptions options =
        ApplyOptions.DEFAULT.withCascade(ApplyOptions.Cascade.FOREGROUND).withWait(TEN_SECONDS);

    ApplyReport report = fx.executor(holdingWorkersPods(), options).execute(shown);

    assertThat(report.remaining()).isEmpty();
    assertThat(fx.sleeper.slept()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fx.replicaSetNames())
        .containsExactly("stream-consumer-v004", "webapp-v001", "workers-v007");
  }

  @Test
  void foregroundWaitListsEachVersionsPodsByItsSelectorWhileItIsHeldForItsPods() throws Exception {
    // A finalizer of someone else's holds each deleted ReplicaSet after its pods went.
    SnapshotSource fresh =
        fx.changeThenRead(
            () ->
                DELETED.forEach(
                    name ->
                        fx.admin
                            .apps()
                            .replicaSets()
                            .inNamespace(ApplyFixture.NS)
                            .withName(name)
                            .edit(
                                rs -> {
                                  rs.getMetadata().getFinalizers().add("example.com/hold");
                                  return rs;
                                })));
    List<ApplyFixture.Call> calls = new ArrayList<>();
    fx.sleeper.meanwhile(
        n -> {
          if (n == 1) {
            calls.addAll(fx.calls()); // the executor's; the test's own are not recorded
            DELETED.forEach(
                name -> {
                  fx.admin
                      .apps()
                      .replicaSets()
                      .inNamespace(ApplyFixture.NS)
                      .withName(name)
                      .edit(
                          rs -> {
                            rs.getMetadata().getFinalizers().clear();
                            return rs;
                          });
                });
            fx.forgetRequests();
          }
        });
    ApplyOptions options =
        ApplyOptions.DEFAULT.withCascade(ApplyOptions.Cascade.FOREGROUND).withWait(TEN_SECONDS);

    ApplyReport report = fx.executor(fresh, options).execute(shown);

    assertThat(report.remaining()).isEmpty();
    assertThat(fx.sleeper.slept()).isEqualTo(Duration.ofSeconds(1));
    calls.addAll(fx.calls());
    List<String> polls =
        calls.stream().map(ApplyFixture.Call::toString).filter(c -> c.startsWith("GET ")).toList();
    List<String> onePoll =
        List.of(
            "GET " + REPLICA_SETS,
            "GET " + ownPods("stream-consumer", "v003"),
            "GET " + ownPods("webapp", "v002"),
            "GET " + ownPods("workers", "v005"),
            "GET " + ownPods("workers", "v006"));
    // After the fresh snapshot's three lists: two polls, never a list of all the namespace's pods.
    assertThat(polls.subList(3, polls.size()))
        .containsExactlyElementsOf(Stream.concat(onePoll.stream(), onePoll.stream()).toList());
  }

  @Test
  void aWaitThatCannotListReportsEverythingAsUnconfirmed() throws Exception {
    SnapshotSource fresh =
        fx.readThenChange(
            () ->
                fx.server
                    .expect()
                    .get()
                    .withPath(REPLICA_SETS)
                    .andReturn(500, status(500, "InternalError", "etcd unavailable"))
                    .always());

    ApplyReport report =
        fx.executor(fresh, ApplyOptions.DEFAULT.withWait(TEN_SECONDS)).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(report.remaining())
        .containsExactly(
            "example/stream-consumer-v003",
            "example/webapp-v002",
            "example/workers-v005",
            "example/workers-v006");
    assertThat(report.results().get(0).detail())
        .startsWith(
            "--wait could not confirm it is gone: cannot list replicasets in namespace"
                + " example: ");
    assertThat(fx.replicaSet("webapp-v002")).isNull();
    assertThat(fx.replicaSet("webapp-v001")).isNotNull();
  }

  /** A version's pods, by its ReplicaSet's matchLabels, paged. */
  private static String ownPods(String app, String version) {
    return PODS + "?labelSelector=app%3D" + app + "%2Cversion%3D" + version + "&limit=500";
  }
}
