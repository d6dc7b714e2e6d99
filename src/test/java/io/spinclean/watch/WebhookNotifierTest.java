package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The webhook payload, its bounded retries, and an endpoint that is down. */
class WebhookNotifierTest {
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  HttpServer endpoint;

  /** An endpoint that fails {@code failures} times with {@code code}, then answers 200. */
  URI endpoint(int failures, int code) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext(
        "/hook",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(calls.incrementAndGet() <= failures ? code : 200, -1);
          ex.close();
        });
    endpoint.start();
    return URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook");
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  static Decision wouldDelete() {
    return new Decision(
        Decision.Kind.WOULD_DELETE,
        EventReporterTest.failedDeploy(),
        Optional.empty(),
        "dry run: would delete webapp-v002");
  }

  @Test
  void oneSlackCompatibleSummaryPerDecision() throws Exception {
    new WebhookNotifier(endpoint(0, 200), Duration.ofMillis(10), errors::add).report(wouldDelete());

    assertThat(bodies).hasSize(1);
    JsonNode json = JsonMapper.builder().build().readTree(bodies.get(0));
    assertThat(json.get("text").asString())
        .isEqualTo("spinclean: prod/webapp/replicaSet webapp: dry run: would delete webapp-v002");
    assertThat(json.get("kind").asString()).isEqualTo("WOULD_DELETE");
    assertThat(json.get("cluster").asString()).isEqualTo("replicaSet webapp");
    assertThat(json.at("/versions/0/name").asString()).isEqualTo("webapp-v002");
    assertThat(errors).isEmpty();
  }

  @Test
  void retriesAServerErrorAtMostThreeTimes() throws Exception {
    WebhookNotifier once =
        new WebhookNotifier(endpoint(2, 503), Duration.ofMillis(10), errors::add);
    once.report(wouldDelete());
    assertThat(bodies).hasSize(3);
    assertThat(errors).isEmpty();

    bodies.clear();
    stop();
    new WebhookNotifier(endpoint(99, 500), Duration.ofMillis(10), errors::add)
        .report(wouldDelete());
    assertThat(bodies).hasSize(3);
    assertThat(errors)
        .singleElement()
        .asString()
        .startsWith("cannot notify 127.0.0.1 about prod/webapp/replicaSet webapp (HTTP 500");
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    new WebhookNotifier(endpoint(99, 404), Duration.ofMillis(10), errors::add)
        .report(wouldDelete());
    assertThat(bodies).hasSize(1);
    assertThat(errors).hasSize(1);
  }

  @Test
  void anEndpointThatIsDownDoesNotHoldTheController() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    URI down = URI.create("http://127.0.0.1:" + port + "/hook");
    AsyncReporter async =
        new AsyncReporter(
            "webhook", new WebhookNotifier(down, Duration.ofMillis(500), errors::add), d -> {});
    for (int i = 0; i < 10; i++) {
      async.report(wouldDelete());
    }
    // each decision takes 1.5 s of retries before it fails: the caller waited for none of them
    assertThat(errors).isEmpty();
    async.stop(Duration.ZERO);
  }
}
