package io.spinclean.kube;

import static io.spinclean.kube.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.spinclean.core.Policy;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import io.spinclean.watch.Watcher;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API faults while watching: a list that fails with 503, a watch answered 410 Gone, watches that
 * fail with 500 and 503. The controller recovers without a restart: it still cleans what it
 * listed, and still sees what is created afterwards. (A watch answered 200 with an empty body
 * left fabric8's informer not watching for more than 10 s on the mock: not tested here.)
 */
class WatchFaultTest {
  final Clock clock = Clock.systemUTC();
  EmbeddedApiServer server;
  KubeConnection admin;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedApiServer.start();
    try (InputStream in = Files.newInputStream(Path.of("examples/article.json"))) {
      server.load(in, "examples/article.json");
    }
    admin = server.connect("example");
  }

  @AfterEach
  void stop() {
    admin.close();
    server.close();
  }

  static Status status(int code, String reason) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
        .withMessage(reason).build();
  }

  /** The watch request an informer makes right after its first list (fabric8 8.0.0). */
  static String watchPath(String base, String resourceVersion) {
    return base + "?allowWatchBookmarks=true&resourceVersion=" + resourceVersion
        + "&timeoutSeconds=600&watch=true";
  }

  boolean exists(String name) {
    return admin.client().apps().replicaSets().inNamespace("example").withName(name).get() != null;
  }

  @Test
  void recoversFromGoneAndServerErrorsWithoutARestart() throws Exception {
    KubernetesClient client = admin.client();
    String rv = client.apps().replicaSets().inNamespace("example").list().getMetadata()
        .getResourceVersion();
    KubernetesMockServer mock = server.mockServer();
    String rs = "/apis/apps/v1/namespaces/example/replicasets";
    String pods = "/api/v1/namespaces/example/pods";
    String services = "/api/v1/namespaces/example/services";
    mock.expect().get().withPath(pods + "?resourceVersion=0")
        .andReturn(503, status(503, "ServiceUnavailable")).once();
    mock.expect().get().withPath(watchPath(rs, rv)).andReturn(410, status(410, "Gone")).once();
    mock.expect().get().withPath(watchPath(pods, rv))
        .andReturn(500, status(500, "InternalError")).once();
    mock.expect().get().withPath(watchPath(services, rv))
        .andReturn(503, status(503, "ServiceUnavailable")).once();

    WatchSettings settings = new WatchSettings(Policy.DEFAULT, Duration.ofMillis(300), 2, false,
        OptionalInt.empty(), Duration.ofMillis(100));
    Metrics metrics = new Metrics();
    try (KubeConnection conn = server.connect("example");
        Watcher w = Watcher.start(conn, Scope.of("example"), settings, clock, metrics, d -> { },
            () -> true, e -> { throw e; })) {
      await("the article's four deletions", () -> !exists("webapp-v002")
          && !exists("stream-consumer-v003") && !exists("workers-v005")
          && !exists("workers-v006"));

      // A new failed version, seen only through the RS watch that got 410 Gone.
      ReplicaSet keeper = client.apps().replicaSets().inNamespace("example")
          .withName("webapp-v001").get();
      ReplicaSet failed = new ReplicaSetBuilder(keeper)
          .editMetadata()
          .withName("webapp-v003").withUid(null).withResourceVersion(null)
          .withCreationTimestamp(null)
          .addToAnnotations("moniker.spinnaker.io/sequence", "3")
          .endMetadata()
          .withStatus(null)
          .build();
      client.apps().replicaSets().inNamespace("example").resource(failed).create();
      await("the new failed version is deleted", () -> !exists("webapp-v003"));
      await("every informer watching", w::watching);
    }
    assertThat(exists("webapp-v001")).isTrue();
    assertThat(metrics.deletions()).isEqualTo(5);
  }
}
