package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The informer caches as snapshots: a namespace is mapped once per change, not once per cluster
 * evaluated, and a change is always seen by the next snapshot.
 */
class ClusterWatchTest {
  @RegisterExtension final ArticleServer article = new ArticleServer();

  @Test
  void aNamespaceIsMappedOncePerChangeAndEveryChangeIsSeen() throws Exception {
    try (ClusterWatch watch =
        ClusterWatch.start(
            article.admin(), Scope.of("example"), Clock.systemUTC(), key -> {}, message -> {})) {
      await("the article's 7 ReplicaSets listed", () -> snapshot(watch).replicaSets().size() == 7);
      Snapshot first = snapshot(watch);
      Snapshot again = snapshot(watch);
      // nothing changed: the same mapped objects, a new time
      assertThat(again.pods()).hasSameSizeAs(first.pods());
      for (int i = 0; i < first.pods().size(); i++) {
        assertThat(again.pods().get(i)).isSameAs(first.pods().get(i));
      }
      assertThat(again.takenAt()).isAfterOrEqualTo(first.takenAt());

      article
          .admin()
          .client()
          .pods()
          .inNamespace("example")
          .withName("webapp-v002-k2j8w")
          .edit(
              p -> {
                p.getMetadata().setLabels(Map.of("changed", "yes"));
                return p;
              });
      await(
          "the change in the next snapshot",
          () ->
              snapshot(watch).pods().stream()
                  .anyMatch(p -> p.labels().equals(Map.of("changed", "yes"))));
      assertThat(snapshot(watch).pods())
          .doesNotContainAnyElementsOf(
              first.pods().stream().filter(p -> p.name().equals("webapp-v002-k2j8w")).toList());
    }
  }

  @Test
  void informersListInPagesThenWatch() throws Exception {
    List<String> gets = new ArrayList<>();
    try (ClusterWatch watch =
        ClusterWatch.start(
            article.admin(), Scope.of("example"), Clock.systemUTC(), key -> {}, message -> {})) {
      assertThat(watch.watching()).isTrue();
      for (RecordedRequest r; (r = article.mock().takeRequest(1, TimeUnit.SECONDS)) != null; ) {
        if (r.getMethod().equals("GET")) {
          gets.add(r.getPath());
        }
      }
    }
    assertThat(gets)
        .contains(
            "/apis/apps/v1/namespaces/example/replicasets?limit=500",
            "/api/v1/namespaces/example/pods?limit=500",
            "/api/v1/namespaces/example/services?limit=500");
  }

  private static Snapshot snapshot(ClusterWatch watch) {
    try {
      return watch.snapshot("example");
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }
}
