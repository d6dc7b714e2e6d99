package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.kube.ArticleServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Contexts run concurrently, bounded by --parallel, and print in kubeconfig order: context a's
 * server answers its ReplicaSet list {@value #DELAY_MS} ms late.
 */
class MultiContextConcurrencyTest {
  static final String RS_LIST = "/apis/apps/v1/namespaces/example/replicasets?limit=500";
  static final long DELAY_MS = 2500;

  @RegisterExtension final ArticleServer a = new ArticleServer();
  @RegisterExtension final ArticleServer b = new ArticleServer();
  @TempDir Path dir;

  /** Context a's first ReplicaSet list: the same answer, {@value #DELAY_MS} ms late. */
  void slowDownA() throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(a.server().url() + RS_LIST)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    a.mock()
        .expect()
        .get()
        .delay(DELAY_MS, TimeUnit.MILLISECONDS)
        .withPath(RS_LIST)
        .andReturn(200, body)
        .once();
    drain(a);
    drain(b);
  }

  static void drain(ArticleServer server) throws InterruptedException {
    while (server.mock().takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // requests made before the run
    }
  }

  /** What the run printed, and how long after a's slow request b had made its three lists. */
  record Timed(Run run, long bListedAfterAMs) {}

  Timed planBoth(String parallel) throws Exception {
    String config = MultiContextCliTest.kubeconfig(dir, a.server().url(), b.server().url());
    slowDownA();
    CompletableFuture<Run> run =
        CompletableFuture.supplyAsync(
            () ->
                Run.of(
                    "plan",
                    "--kubeconfig",
                    config,
                    "--context",
                    "a,b",
                    "--parallel",
                    parallel,
                    "-o",
                    "json"));
    long aAsked = -1;
    long bListed = -1;
    int bLists = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((aAsked < 0 || bListed < 0) && System.nanoTime() < deadline) {
      RecordedRequest r = a.mock().takeRequest(2, TimeUnit.MILLISECONDS);
      if (r != null && r.getPath().equals(RS_LIST) && aAsked < 0) {
        aAsked = System.nanoTime();
      }
      r = b.mock().takeRequest(2, TimeUnit.MILLISECONDS);
      if (r != null && r.getPath().contains("/namespaces/example/") && ++bLists == 3) {
        bListed = System.nanoTime();
      }
    }
    assertThat(aAsked).as("a's ReplicaSet list was asked").isPositive();
    assertThat(bListed).as("b's three lists were asked").isPositive();
    return new Timed(run.get(30, TimeUnit.SECONDS), (bListed - aAsked) / 1_000_000);
  }

  @Test
  void withParallelTwoTheContextsOverlapAndTheOutputIsInKubeconfigOrder() throws Exception {
    Timed timed = planBoth("2");

    // b was read entirely while a's answer was still on its way (sequential: only after it came)
    assertThat(timed.bListedAfterAMs()).isLessThan(DELAY_MS - 100);
    assertThat(timed.run().exitCode()).isZero();
    JsonNode doc = MultiContextCliTest.MAPPER.readTree(timed.run().out());
    assertThat(MultiContextCliTest.contextsOfClusters(doc))
        .containsExactly("a", "a", "a", "b", "b", "b");
    assertThat(doc.at("/contexts/0/name").asString()).isEqualTo("a");
  }

  /** The control: the measurement above tells overlapping contexts from sequential ones. */
  @Test
  void withParallelOneTheSecondContextWaitsForTheFirst() throws Exception {
    Timed timed = planBoth("1");

    assertThat(timed.bListedAfterAMs()).isGreaterThanOrEqualTo(DELAY_MS - 100);
    assertThat(
            MultiContextCliTest.contextsOfClusters(
                MultiContextCliTest.MAPPER.readTree(timed.run().out())))
        .containsExactly("a", "a", "a", "b", "b", "b");
  }
}
