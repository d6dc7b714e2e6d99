package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import io.spinclean.kube.ArticleServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Prometheus (Debian's package) scrapes {@code spinclean watch}, run in-process against the
 * embedded API server with the article's three scenarios, every second and evaluates
 * deploy/monitoring/spinclean-rules.yml every second. The rules are the shipped ones with only
 * their {@code for:} durations shortened to 2 s. Loopback only, a temporary storage directory,
 * killed in a finally.
 *
 * <p>The watch settles for 20 s, so the clusters with two serving versions are seen (and the alert
 * fires) long before anything is deleted; then it cleans them and the alert resolves.
 */
class PrometheusAlertsIT {
  static final Duration DEADLINE = Duration.ofSeconds(90);
  static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension final ArticleServer article = new ArticleServer();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theMultipleServingAlertFiresThenResolvesOnceWatchHasDeletedTheFourVersions()
      throws Exception {
    Path prometheusBin = Tools.find("prometheus", Tools.PROMETHEUS_HINT);
    Path dir = Files.createTempDirectory("spinclean-prometheus-");
    int metricsPort = freePort();
    int webPort = freePort();
    Files.writeString(dir.resolve("rules.yml"), rulesWithShortFor());
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "rule_files: [rules.yml]\n"
            + "scrape_configs:\n  - job_name: spinclean\n"
            + "    static_configs: [{targets: ['127.0.0.1:"
            + metricsPort
            + "']}]\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(
            () -> {
              try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                  PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                return Spinclean.run(
                    new String[] {
                      "watch",
                      "--kubeconfig",
                      article.kubeconfig(),
                      "--settle",
                      "20s",
                      "--min-age",
                      "0s",
                      "--metrics-bind-address",
                      "127.0.0.1",
                      "--metrics-port",
                      String.valueOf(metricsPort),
                      "--exit-after",
                      "40s"
                    },
                    o,
                    e,
                    new ByteArrayInputStream(new byte[0]),
                    Clock.systemUTC(),
                    Map.of());
              }
            });
    Process prometheus =
        new ProcessBuilder(
                prometheusBin.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    String api = "http://127.0.0.1:" + webPort;
    Instant start = Instant.now();
    Instant deadline = start.plus(DEADLINE);
    try {
      // fires while watch still settles: nothing deleted yet
      await(deadline, "the alert firing", () -> alertState(api).equals("firing"));
      assertThat(deletions(api)).as("deletions when the alert fired").isZero();
      System.out.println("firing after " + Duration.between(start, Instant.now()));

      // watch cleans the clusters: 4 deletions, and the alert resolves
      await(deadline, "spinclean_deletions_total 4", () -> deletions(api) == 4);
      System.out.println("4 deletions after " + Duration.between(start, Instant.now()));
      await(deadline, "the alert resolved", () -> alertState(api).equals("inactive"));
      System.out.println("resolved after " + Duration.between(start, Instant.now()));
      assertThat(query(api, "spinclean_clusters_multiple_serving")).isEqualTo(0);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          e.getMessage()
              + "\nwatch stderr: "
              + err.toString(StandardCharsets.UTF_8)
              + "\nprometheus log:\n"
              + Files.readString(dir.resolve("prometheus.log")),
          e);
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      deleteTree(dir);
    }
    assertThat(watch.get(70, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }

  /** The shipped rules, every {@code for:} set to 2 s: nothing else changes. */
  static String rulesWithShortFor() throws IOException {
    JsonNode rules = MonitoringRulesTest.yaml(MonitoringRulesTest.RULES);
    List<String> changed = new ArrayList<>();
    for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
      if (rule.has("for")) {
        ((ObjectNode) rule).put("for", "2s");
        changed.add(rule.path("alert").stringValue());
      }
    }
    assertThat(changed).contains("SpinnakerClusterMultipleServing");
    return Kustomize.YAML.writeValueAsString(rules);
  }

  /** pending, firing, or inactive (not listed) for SpinnakerClusterMultipleServing. */
  String alertState(String api) {
    for (JsonNode alert : get(api + "/api/v1/alerts").at("/data/alerts")) {
      if ("SpinnakerClusterMultipleServing".equals(alert.at("/labels/alertname").stringValue())) {
        return alert.path("state").stringValue();
      }
    }
    return "inactive";
  }

  long deletions(String api) {
    return query(api, "spinclean_deletions_total");
  }

  /** The value of a one-series instant query, or -1 while it has none. */
  long query(String api, String promql) {
    JsonNode result =
        get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
            .at("/data/result");
    return result.isEmpty() ? -1 : Long.parseLong(result.get(0).path("value").get(1).stringValue());
  }

  private JsonNode get(String url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      return JSON.readTree("{}"); // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void await(Instant deadline, String what, Supplier<Boolean> done)
      throws InterruptedException {
    while (!done.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no " + what + " within " + DEADLINE);
      }
      Thread.sleep(250);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
