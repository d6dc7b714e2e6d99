package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.watch.Decision;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM while the controller deletes a cluster's versions (stop() is what the shutdown hook
 * calls): the delete in flight finishes, the next one is not sent, and the report names both.
 */
class WatchStopTest {
  static final String RS = "/apis/apps/v1/namespaces/example/replicasets/";

  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();

  @Test
  void aStopDuringABatchFinishesTheDeleteInFlightAndReportsTheRestNotAttempted() throws Exception {
    // workers plans workers-v005 then workers-v006; the first delete is answered slowly
    article
        .mock()
        .expect()
        .delete()
        .delay(1500, TimeUnit.MILLISECONDS)
        .withPath(RS + "workers-v005")
        .andReturn(200, "{\"kind\":\"Status\",\"status\":" + "\"Success\"}")
        .once();
    WatchSettings settings =
        new WatchSettings(
            Policy.DEFAULT.withClusters(Set.of("replicaSet workers")),
            Duration.ofMillis(200),
            1,
            false,
            OptionalInt.empty(),
            Duration.ofMillis(100));
    List<Decision> seen = new CopyOnWriteArrayList<>();
    boolean finished;
    try (KubeConnection conn = article.server().connect("example")) {
      Watcher w =
          Watcher.start(
              conn,
              Scope.of("example"),
              settings,
              clock,
              new Metrics(),
              seen::add,
              Leadership.alone(),
              e -> {
                throw e;
              },
              message -> {});
      awaitDelete("workers-v005");
      finished = w.stop(Duration.ofSeconds(10));
    }

    assertThat(finished).isTrue();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).kind()).isEqualTo(Decision.Kind.EXECUTED);
    assertThat(seen.get(0).report().orElseThrow().results())
        .extracting(DeletionResult::name, DeletionResult::outcome, DeletionResult::detail)
        .containsExactly(
            tuple("workers-v005", Outcome.DELETED, ""),
            tuple("workers-v006", Outcome.NOT_ATTEMPTED, "not attempted: spinclean is stopping"));
    assertThat(article.exists("workers-v006")).isTrue();
    assertThat(article.exists("workers-v007")).isTrue();
  }

  /** Waits until the mock has received the DELETE of {@code name} (its answer is delayed). */
  private void awaitDelete(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      RecordedRequest r = article.mock().takeRequest(100, TimeUnit.MILLISECONDS);
      if (r != null && r.getMethod().equals("DELETE") && r.getPath().equals(RS + name)) {
        return;
      }
    }
    await("the DELETE of " + name, () -> false);
  }
}
