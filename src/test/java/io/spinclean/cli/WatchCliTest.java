package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code spinclean watch} through the command line, on a wall clock, for a few seconds. */
class WatchCliTest {
  @RegisterExtension final ArticleServer article = new ArticleServer();
  EmbeddedApiServer server;
  String kubeconfig;

  @BeforeEach
  void start() {
    server = article.server();
    kubeconfig = article.kubeconfig();
  }

  static Run watch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Spinclean.run(
              args, o, e, new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), Map.of());
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cleansTheArticleClustersAndLogsEveryVersionAsJson() {
    Run run =
        watch(
            "watch",
            "--kubeconfig",
            kubeconfig,
            "--settle",
            "500ms",
            "--metrics-port",
            "0",
            "--log-format",
            "json",
            "--exit-after",
            "4s",
            "--actions-per-second",
            "20",
            "--events-per-second",
            "0.5");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines =
        run.out().lines().map(l -> JsonMapper.builder().build().readTree(l)).toList();
    assertThat(lines.get(0).get("msg").asString())
        .isEqualTo(
            "watching namespace example: settle 500ms, 2 confirmations, at most 20"
                + " actions/s and 0.5 Events/s");
    assertThat(lines.stream().filter(l -> l.has("outcome")))
        .extracting(
            l ->
                l.get("version").asString()
                    + " "
                    + l.get("outcome").asString()
                    + " "
                    + l.get("cluster").asString())
        .containsExactlyInAnyOrder(
            "webapp-v002 DELETED replicaSet webapp",
            "stream-consumer-v003 DELETED replicaSet stream-consumer",
            "workers-v005 DELETED replicaSet workers",
            "workers-v006 DELETED replicaSet workers");
    assertThat(lines.get(lines.size() - 1).get("msg").asString())
        .isEqualTo("stopped: no evaluation was left running");
    assertThat(LiveRun.plan(kubeconfig)).contains("0 to delete");
  }

  @Test
  void dryRunLogsAndNotifiesWhatItWouldDeleteAndDeletesNothing() throws Exception {
    List<String> hooks = new CopyOnWriteArrayList<>();
    HttpServer hook =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext(
        "/",
        ex -> {
          hooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    hook.start();
    Run run;
    try {
      run =
          watch(
              "watch",
              "--kubeconfig",
              kubeconfig,
              "--settle",
              "500ms",
              "--dry-run",
              "--metrics-port",
              "0",
              "--exit-after",
              "3s",
              "--notify-webhook",
              "http://127.0.0.1:" + hook.getAddress().getPort() + "/");
    } finally {
      hook.stop(0);
    }

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("dry run (nothing is deleted)")
        .containsPattern(
            "info namespace=example application=webapp cluster=\"replicaSet webapp\""
                + " version=webapp-v002 reason=\\w+ \"?dry run: would delete");
    assertThat(run.out().lines().filter(l -> l.contains("would delete"))).hasSize(4);
    assertThat(LiveRun.plan(kubeconfig)).contains("4 to delete");
    assertThat(hooks)
        .hasSize(3)
        .allSatisfy(
            h ->
                assertThat(h)
                    .startsWith("{\"text\":\"spinclean: example/")
                    .contains("\"kind\":\"WOULD_DELETE\""));
  }

  @Test
  void withLeaderElectionItLeadsThenCleansAndStopsCleanly() {
    Run run =
        watch(
            "watch",
            "--kubeconfig",
            kubeconfig,
            "--settle",
            "500ms",
            "--leader-elect",
            "--lease-name",
            "cleaner",
            "--metrics-port",
            "0",
            "--exit-after",
            "4s");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .containsPattern("info started leading: Lease example/cleaner as \\S+-[0-9a-f]{8}\n")
        .contains(", leader election on")
        .contains("version=webapp-v002 outcome=DELETED");
    assertThat(run.out().lines().filter(l -> l.contains("outcome=DELETED"))).hasSize(4);
    assertThat(LiveRun.plan(kubeconfig)).contains("0 to delete");
  }

  @Test
  void badFlagsAreUsageErrorsAndAnUnreachableServerExitsOne() {
    Run zero = watch("watch", "--kubeconfig", kubeconfig, "--confirmations", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).startsWith("spinclean: --confirmations must be 1 or more, not 0");

    for (String rate : List.of("--actions-per-second", "--events-per-second")) {
      Run none = watch("watch", "--kubeconfig", kubeconfig, rate, "0");
      assertThat(none.exitCode()).isEqualTo(2);
      assertThat(none.err())
          .startsWith("spinclean: " + rate + " must be a number above 0, not 0.0");
    }

    Run hook = watch("watch", "--kubeconfig", kubeconfig, "--notify-webhook", "hooks.slack.com");
    assertThat(hook.exitCode()).isEqualTo(2);
    assertThat(hook.err()).startsWith("spinclean: --notify-webhook must be an https URL");

    server.close();
    Run down = watch("watch", "--kubeconfig", kubeconfig, "--metrics-port", "0");
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err().strip()).startsWith("spinclean: ").doesNotContain("\n");
  }

  /** The plan a user would see next. */
  static final class LiveRun {
    static String plan(String kubeconfig) {
      return Run.of("plan", "--kubeconfig", kubeconfig).out();
    }
  }
}
