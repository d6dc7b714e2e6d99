package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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

  ServerSocket raw;

  /**
   * A raw endpoint that reads each request's head, sends {@code prefix} at once, and then {@code
   * slow} one byte every 100 ms, over and over for up to a minute.
   */
  URI trickling(String prefix, String slow) throws IOException {
    raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!raw.isClosed()) {
                try {
                  Socket s = raw.accept();
                  Thread t = new Thread(() -> trickle(s, prefix, slow));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/services/T000/B000/SECRET");
  }

  private void trickle(Socket s, String prefix, String slow) {
    try (s) {
      var in = s.getInputStream();
      int last = 0;
      for (int b = in.read(); b != -1; b = in.read()) {
        if (b == '\n' && last == '\n') {
          break;
        }
        last = b == '\r' ? last : b;
      }
      bodies.add("request");
      var out = s.getOutputStream();
      out.write(prefix.getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 600; i++) {
        out.write(slow.charAt(i % slow.length()));
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up: what a bounded notifier does
    }
  }

  @AfterEach
  void stop() throws IOException {
    if (endpoint != null) {
      endpoint.stop(0);
    }
    if (raw != null) {
      raw.close();
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
        .matches(
            "cannot notify http://127\\.0\\.0\\.1:\\d+/… about prod/webapp/replicaSet webapp \\(HTTP"
                + " 500\\)");
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

  @Test
  void anEndpointThatTricklesItsAnswerCannotHoldANotification() throws Exception {
    // "200 OK" comes at once, then a body that would take a minute: delivered, not waited for
    URI url = trickling("HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n", "x");
    // one attempt, not cut off by its deadline (that would retry): the status was enough
    WebhookNotifier notifier =
        new WebhookNotifier(url, Duration.ofMillis(10), Duration.ofSeconds(2), errors::add);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> notifier.report(wouldDelete()));
    assertThat(bodies).hasSize(1);
    assertThat(errors).isEmpty();
  }

  @Test
  void anEndpointThatTricklesItsHeadersIsCutOffAtTheDeadline() throws Exception {
    URI url = trickling("HTTP/1.1 200 OK\r\nX-Slow: ", "a");
    WebhookNotifier notifier =
        new WebhookNotifier(url, Duration.ofMillis(10), Duration.ofMillis(300), errors::add);
    // three attempts of at most 300 ms each, 10 and 20 ms apart
    assertTimeoutPreemptively(Duration.ofSeconds(3), () -> notifier.report(wouldDelete()));
    assertThat(bodies).hasSize(3);
    assertThat(errors)
        .singleElement()
        .isEqualTo(
            "cannot notify http://127.0.0.1:"
                + url.getPort()
                + "/… about prod/webapp/replicaSet webapp (no complete answer within 300ms)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.slack.com/services/T000/B000/SECRET",
        "http://127.0.0.1:8080/hook/SECRET",
        "http://127.9.8.7/SECRET",
        "http://[::1]:8080/SECRET",
        "http://localhost/SECRET",
        "HTTP://LocalHost:9/SECRET"
      })
  void httpsOrLoopbackIsAccepted(String url) {
    assertThat(WebhookNotifier.problem(URI.create(url))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://hooks.slack.com/services/T000/B000/SECRET"
            + "|must use https (plain http only to a loopback address), not http://hooks.slack.com/…",
        "http://10.0.0.7:8080/SECRET"
            + "|must use https (plain http only to a loopback address), not http://10.0.0.7:8080/…",
        "http://0.0.0.0/SECRET"
            + "|must use https (plain http only to a loopback address), not http://0.0.0.0/…",
        "http://127.0.0.1.nip.io/SECRET"
            + "|must use https (plain http only to a loopback address), not http://127.0.0.1.nip.io/…",
        "http://user:SECRET@hooks.slack.com/"
            + "|must use https (plain http only to a loopback address), not http://hooks.slack.com/…",
        "ftp://hooks.slack.com/SECRET|must be an https URL, not ftp://hooks.slack.com/…",
        "hooks.slack.com/services/SECRET|must be an https URL, not a URL without a scheme and host",
        "https:///SECRET|must be an https URL, not a URL without a scheme and host",
      })
  void anythingElseIsRefusedWithoutShowingThePath(String url, String problem) {
    assertThat(WebhookNotifier.problem(URI.create(url))).hasValue(problem);
  }

  @Test
  void theUrlIsShownAsSchemeHostAndPortOnly() {
    assertThat(
            WebhookNotifier.redact(
                URI.create("https://x:SECRET@hooks.slack.com:443/services/T/B/SECRET?SECRET#S")))
        .isEqualTo("https://hooks.slack.com:443/…");
    assertThat(WebhookNotifier.redact(URI.create("https://hooks.slack.com")))
        .isEqualTo("https://hooks.slack.com/…");
  }

  @Test
  void theSlackTextCannotMentionLinkOrReverse() throws Exception {
    new WebhookNotifier(endpoint(0, 200), Duration.ofMillis(10), errors::add)
        .report(
            Forged.decision(
                Decision.Kind.WOULD_DELETE, Forged.cleanup(), "dry run: would delete webapp-v002"));

    JsonNode json = JsonMapper.builder().build().readTree(bodies.get(0));
    // Slack's three escapes (api.slack.com "Formatting text"): no <!channel>, no <@U...>, no
    // <url|text> link survives; controls and bidi overrides show as escapes.
    assertThat(json.get("text").asString())
        .isEqualTo(
            "spinclean: prod/web\\u202eppa/&lt;!channel&gt; &lt;http://evil.example|details&gt;"
                + " &amp; &lt;@U123&gt; \\u001b[31mred: dry run: would delete webapp-v002");
    // The fields for programs carry the values as they are, JSON-escaped.
    assertThat(json.get("application").asString()).isEqualTo(Forged.APPLICATION);
    assertThat(json.get("cluster").asString()).isEqualTo(Forged.CLUSTER);
    assertThat(bodies.get(0)).doesNotContain("\u202e", "\u001b").contains("\\u202e");
  }
}
