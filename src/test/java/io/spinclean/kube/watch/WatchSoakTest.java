package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.Intercepted;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded soak (about 7 s, loopback only): a deploy keeps changing cluster webapp while the API
 * server answers 503 to every list and watch for 2 s (open watches ended at its start, as a
 * restarting API server does). The controller must never delete a version of a cluster that changed
 * within {@code --settle} of the DELETE, however stale its caches were; once the deploy stops it
 * cleans as usual.
 */
class WatchSoakTest {
  static final Duration SETTLE = Duration.ofSeconds(1);
  static final Duration FAULT = Duration.ofSeconds(2);

  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();

  /** Every change the deploy made, by cluster: when its request was sent. */
  final Map<String, Instant> changedAt = new ConcurrentHashMap<>();

  final List<String> violations = new CopyOnWriteArrayList<>();
  final List<String> deletes = new CopyOnWriteArrayList<>();
  final AtomicBoolean faulty = new AtomicBoolean();
  final AtomicInteger faulted = new AtomicInteger();

  /**
   * Sees every request of the controller's client: during the fault every GET of a list or watch
   * goes to a path the server answers 503; every DELETE is checked against the deploy's changes.
   */
  final class Fault implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      String path = request.uri().getPath();
      if (request.method().equals("DELETE")) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String cluster = name.replaceFirst("-v[0-9]+$", "");
        Instant now = clock.instant();
        deletes.add(name);
        Instant changed = changedAt.get(cluster);
        if (changed != null && Duration.between(changed, now).compareTo(SETTLE) < 0) {
          violations.add(
              "DELETE "
                  + name
                  + " "
                  + Duration.between(changed, now).toMillis()
                  + " ms after its cluster changed (settle "
                  + SETTLE.toMillis()
                  + " ms)");
        }
      } else if (faulty.get() && request.method().equals("GET") && !path.contains("/leases")) {
        faulted.incrementAndGet();
        builder.uri(URI.create(article.server().url() + "/fault"));
      }
    }
  }

  KubeConnection faultyConnection() {
    return Intercepted.connect(article.server(), ArticleServer.NAMESPACE, new Fault());
  }

  @Test
  void neverDeletesInAClusterThatChangedWithinSettleThroughAnApiOutage() throws Exception {
    article
        .mock()
        .expect()
        .get()
        .withPath("/fault")
        .andReturn(503, WatchFaultTest.status(503, "ServiceUnavailable"))
        .always();
    AtomicBoolean deploying = new AtomicBoolean(true);
    Thread deploy = new Thread(() -> deploy(deploying), "deploy");
    deploy.start();
    WatchSettings settings =
        new WatchSettings(
            Policy.DEFAULT, SETTLE, 2, false, OptionalInt.empty(), Duration.ofMillis(100));
    try (KubeConnection conn = faultyConnection();
        Watcher w =
            Watcher.start(
                conn,
                Scope.of(ArticleServer.NAMESPACE),
                settings,
                clock,
                new Metrics(),
                d -> {},
                Leadership.alone(),
                e -> {
                  throw e;
                },
                message -> {})) {
      await("the quiet clusters cleaned", () -> deletes.size() >= 3 && w.watching());

      faulty.set(true);
      article.server().closeWatches();
      Thread.sleep(FAULT.toMillis());
      faulty.set(false);
      Thread.sleep(1500); // the deploy goes on after the outage

      assertThat(violations).isEmpty();
      deploying.set(false);
      deploy.join();
      await("webapp-v002 once the deploy stopped", () -> !article.exists("webapp-v002"));
    } finally {
      deploying.set(false);
      deploy.join();
    }
    assertThat(violations).isEmpty();
    assertThat(faulted.get()).as("requests answered 503").isGreaterThan(3);
    assertThat(deletes)
        .containsExactlyInAnyOrder(
            "webapp-v002", "stream-consumer-v003", "workers-v005", "workers-v006");
  }

  /** A failing rollout: the failed candidate's pod restarts every 150 ms. */
  private void deploy(AtomicBoolean deploying) {
    for (int i = 0; deploying.get(); i++) {
      String n = String.valueOf(i);
      changedAt.put("webapp", clock.instant());
      article
          .admin()
          .client()
          .pods()
          .inNamespace(ArticleServer.NAMESPACE)
          .withName("webapp-v002-k2j8w")
          .edit(
              p -> {
                p.getMetadata().setAnnotations(Map.of("restarts", n));
                return p;
              });
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
