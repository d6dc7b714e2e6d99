package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API faults while watching: a list that fails with 503, a watch answered 410 Gone, watches that
 * fail with 500 and 503, watches the server ends cleanly. The controller recovers without a
 * restart: it still cleans what it listed, and still sees what is created afterwards.
 *
 * <p>Not tested here: a WebSocket watch answered 200. fabric8 8.0.0 then switches that informer to
 * plain HTTP watches, which the mock cannot serve (it answers them 500), so on the mock the
 * informer never watches again; a real API server serves HTTP watches.
 */
class WatchFaultTest {
  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();
  EmbeddedApiServer server;
  KubeConnection admin;

  @BeforeEach
  void start() throws Exception {
    server = article.server();
    admin = article.admin();
  }

  static Status status(int code, String reason) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(reason)
        .build();
  }

  /** The watch request an informer makes right after its first list (fabric8 8.0.0). */
  static String watchPath(String base, String resourceVersion) {
    return base
        + "?allowWatchBookmarks=true&resourceVersion="
        + resourceVersion
        + "&timeoutSeconds=600&watch=true";
  }

  /** The controller on the article: settle 300 ms, 2 confirmations, leading, acting. */
  Watcher watch(KubeConnection conn, Metrics metrics) throws ApiException {
    WatchSettings settings =
        new WatchSettings(
            Policy.DEFAULT,
            Duration.ofMillis(300),
            2,
            false,
            OptionalInt.empty(),
            Duration.ofMillis(100));
    return Watcher.start(
        conn,
        Scope.of("example"),
        settings,
        clock,
        metrics,
        d -> {},
        Leadership.alone(),
        e -> {
          throw e;
        },
        message -> {});
  }

  boolean exists(String name) {
    return article.exists(name);
  }

  @Test
  void recoversFromGoneAndServerErrorsWithoutARestart() throws Exception {
    KubernetesClient client = admin.client();
    String rv =
        client
            .apps()
            .replicaSets()
            .inNamespace("example")
            .list()
            .getMetadata()
            .getResourceVersion();
    KubernetesMockServer mock = server.mockServer();
    String rs = "/apis/apps/v1/namespaces/example/replicasets";
    String pods = "/api/v1/namespaces/example/pods";
    String services = "/api/v1/namespaces/example/services";
    mock.expect()
        .get()
        .withPath(pods + "?limit=500") // the informer's first page
        .andReturn(503, status(503, "ServiceUnavailable"))
        .once();
    mock.expect().get().withPath(watchPath(rs, rv)).andReturn(410, status(410, "Gone")).once();
    mock.expect()
        .get()
        .withPath(watchPath(pods, rv))
        .andReturn(500, status(500, "InternalError"))
        .once();
    mock.expect()
        .get()
        .withPath(watchPath(services, rv))
        .andReturn(503, status(503, "ServiceUnavailable"))
        .once();

    Metrics metrics = new Metrics();
    try (KubeConnection conn = server.connect("example");
        Watcher w = watch(conn, metrics)) {
      await(
          "the article's four deletions",
          () ->
              !exists("webapp-v002")
                  && !exists("stream-consumer-v003")
                  && !exists("workers-v005")
                  && !exists("workers-v006"));

      // A new failed version, seen only through the RS watch that got 410 Gone.
      client.apps().replicaSets().inNamespace("example").resource(failedVersion()).create();
      await("the new failed version is deleted", () -> !exists("webapp-v003"));
      await("every informer watching", w::watching);
    }
    assertThat(exists("webapp-v001")).isTrue();
    assertThat(metrics.deletions()).isEqualTo(5);
    int podLists = 0;
    for (RecordedRequest r; (r = mock.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
      podLists += r.getPath().equals(pods + "?limit=500") ? 1 : 0;
    }
    // at least the 503 and its retry (relists after the watch faults add more)
    assertThat(podLists).as("pod lists").isGreaterThanOrEqualTo(2);
  }

  /**
   * A real API server ends every watch when its {@code timeoutSeconds} runs out, with a normal
   * close. fabric8 watches again (after its 1 s reconnect interval) and the controller goes on.
   * Only what is created once the informers watch again is asserted: on the mock a new watch
   * replays every object, where a real server sends what changed since the watch's resourceVersion.
   */
  @Test
  void resumesAfterTheServerEndsItsWatchesCleanly() throws Exception {
    Metrics metrics = new Metrics();
    try (KubeConnection conn = server.connect("example");
        Watcher w = watch(conn, metrics)) {
      await("the article's four deletions", () -> metrics.deletions() == 4);
      int opened = server.watchesOpened();

      assertThat(server.closeWatches()).as("watches the server ended").isEqualTo(3);
      await("three new watches", () -> server.watchesOpened() >= opened + 3 && w.watching());
      admin.client().apps().replicaSets().inNamespace("example").resource(failedVersion()).create();

      await("the new failed version is deleted", () -> !exists("webapp-v003"));
      assertThat(w.watching()).isTrue();
    }
    assertThat(exists("webapp-v001")).isTrue();
    assertThat(metrics.deletions()).isEqualTo(5);
  }

  /** webapp-v003: a copy of the serving webapp-v001 with no pods, so a failed newer version. */
  ReplicaSet failedVersion() {
    ReplicaSet keeper =
        admin.client().apps().replicaSets().inNamespace("example").withName("webapp-v001").get();
    return new ReplicaSetBuilder(keeper)
        .editMetadata()
        .withName("webapp-v003")
        .withUid(null)
        .withResourceVersion(null)
        .withCreationTimestamp(null)
        .addToAnnotations("moniker.spinnaker.io/sequence", "3")
        .endMetadata()
        .withStatus(null)
        .build();
  }
}
