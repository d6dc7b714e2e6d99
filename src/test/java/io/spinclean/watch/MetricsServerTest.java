package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The endpoints a Prometheus scrape and the kubelet's probes hit. */
class MetricsServerTest {
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(
        // The kubelet's probes give up after 1 s (timeoutSeconds' default).
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(1))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCarryEverySeriesInTextFormat() throws Exception {
    Metrics metrics = new Metrics();
    metrics.leader(true);
    metrics.deleted(4);
    metrics.refused("traffic_guard");
    metrics.apiError();
    try (MetricsServer server = MetricsServer.start(0, metrics, () -> true)) {
      HttpResponse<String> r = get(server, "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body())
          .contains("# TYPE spinclean_clusters_watched gauge\nspinclean_clusters_watched 0\n")
          .contains("spinclean_clusters_multiple_serving 0\n")
          .contains("# TYPE spinclean_plans_total counter\nspinclean_plans_total 0\n")
          .contains("spinclean_deletions_total 4\n")
          .contains("spinclean_refusals_total{reason=\"traffic_guard\"} 1\n")
          .contains("spinclean_api_errors_total 1\n")
          .contains("spinclean_last_evaluation_timestamp_seconds 0.000\n")
          .contains("spinclean_leader 1\n");
      // every sample line is "name{labels} value" after its HELP and TYPE
      for (String line : r.body().lines().toList()) {
        assertThat(line)
            .matches("# (HELP|TYPE) spinclean_\\w+ .+|spinclean_\\w+(\\{.*\\})? [0-9.]+");
      }
    }
  }

  @Test
  void healthIsAlwaysOkAndReadinessFollowsTheInformers() throws Exception {
    AtomicBoolean watching = new AtomicBoolean(false);
    try (MetricsServer server = MetricsServer.start(0, new Metrics(), watching::get)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      watching.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
      assertThat(get(server, "/metrics/x").statusCode()).isEqualTo(404);
    }
  }

  /** A client that sent half a request and holds its connection open. */
  static Socket halfSent(MetricsServer server, String part) throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(10_000);
    s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** How long until the server closes the connection (-1 or a reset), or fails after 10 s. */
  static Duration closedAfter(Socket s) throws Exception {
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    try {
      while (in.read() != -1) {
        // whatever it answers (nothing, or a 408) until it closes
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server kept a half-sent request open for 10 s", e);
    } catch (java.io.IOException reset) {
      // closed with a reset: also closed
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aHalfSentRequestHoldsUpNeitherHealthNorMetricsAndIsCutOff() throws Exception {
    try (MetricsServer server = MetricsServer.start(0, new Metrics(), () -> true);
        Socket line = halfSent(server, "GET /healthz HT");
        Socket headers = halfSent(server, "GET /metrics HTTP/1.1\r\nHost: spinclean\r\n")) {
      Thread.sleep(200); // both are read by the server by now
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThat(get(server, "/healthz").body()).isEqualTo("ok\n");
        assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      }
      assertThat(closedAfter(line)).isLessThan(MetricsServer.REQUEST_TIMEOUT.plusSeconds(1));
      assertThat(closedAfter(headers)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aClientThatTricklesItsRequestIsCutOffAfterTheTimeout() throws Exception {
    try (MetricsServer server = MetricsServer.start(0, new Metrics(), () -> true);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      long start = System.nanoTime();
      OutputStream out = s.getOutputStream();
      byte[] request =
          "GET /healthz HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      boolean cut = false;
      for (byte b : request) {
        try {
          out.write(b);
          out.flush();
        } catch (java.io.IOException closed) {
          cut = true;
          break;
        }
        Thread.sleep(250); // one byte every 250 ms: a whole request takes 15 s
        assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(cut).as("the trickling client was never cut off").isTrue();
      assertThat(took).isLessThan(MetricsServer.REQUEST_TIMEOUT.plusSeconds(2));
    }
  }

  /** The raw answer to a raw request, read to the end. */
  static String exchange(MetricsServer server, String request) throws Exception {
    try (Socket s = halfSent(server, request)) {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void answersGetAndHeadOnceAndRefusesTheRest() throws Exception {
    try (MetricsServer server = MetricsServer.start(0, new Metrics(), () -> true)) {
      assertThat(exchange(server, "GET /healthz?verbose HTTP/1.1\r\nHost: x\r\n\r\n"))
          .isEqualTo(
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                  + "Connection: close\r\n\r\nok\n");
      assertThat(exchange(server, "HEAD /readyz HTTP/1.0\n\n"))
          .isEqualTo(
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                  + "Connection: close\r\n\r\n");
      assertThat(exchange(server, "POST /healthz HTTP/1.1\r\n\r\n"))
          .startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
          .contains("\r\nAllow: GET, HEAD\r\n");
      assertThat(exchange(server, "GET healthz\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      // one byte more than a head may have, and no more: the server reads all that was sent, so
      // closing does not reset the connection before the client read the answer
      String start = "GET /healthz HTTP/1.1\r\nX: ";
      assertThat(exchange(server, start + "a".repeat(MetricsServer.MAX_HEAD + 1 - start.length())))
          .startsWith("HTTP/1.1 431 ");
      // still serving after all of these
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void listensOnTheBindAddressOnly() throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    try (MetricsServer server =
        MetricsServer.start(new InetSocketAddress(loopback, 0), new Metrics(), () -> true)) {
      assertThat(server.address().getAddress()).isEqualTo(loopback);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      Optional<InetAddress> other =
          Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
              .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
              .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
              .findFirst();
      if (other.isPresent()) { // a machine without a network has nothing else to try
        assertThatThrownBy(() -> new Socket(other.get(), server.port()).close())
            .isInstanceOf(ConnectException.class);
      }
    }
  }
}
