package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.watch.Metrics;
import io.spinclean.watch.MetricsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every query of deploy/monitoring/grafana-dashboard.json (and every alert expression) names only
 * series that a running MetricsServer really exports, scraped over HTTP.
 */
class DashboardMetricsTest {
  static final Path DASHBOARD = Path.of("deploy", "monitoring", "grafana-dashboard.json");

  /** PromQL words that are neither metrics nor functions (functions are followed by '('). */
  static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");

  static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** The metric names in a PromQL expression: identifiers not followed by '(' nor keywords. */
  static Set<String> metricNames(String expr) {
    String s =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // label values
            .replaceAll("\\{[^}]*\\}", " ") // label matchers
            .replaceAll("\\[[^\\]]*\\]", " ") // range selectors, $__rate_interval
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\$\\w+", " "); // Grafana variables
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String word = m.group();
      boolean call = s.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  @Test
  void theExtractionFindsMetricsNotFunctionsLabelsOrKeywords() {
    assertThat(
            metricNames(
                "sum by (reason) (increase(spinclean_refusals_total{reason=\"a b\"}[5m])) > 0"
                    + " or vector(0) and on (pod) time() - up offset 5m"))
        .containsExactly("spinclean_refusals_total", "up");
  }

  @Test
  void everyDashboardAndAlertQueryNamesOnlyScrapedSeries() throws Exception {
    Set<String> scraped = scrape();
    assertThat(scraped).contains("spinclean_deletions_total", "spinclean_ready");

    List<String> exprs = new ArrayList<>();
    JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asString(""));
      }
    }
    assertThat(exprs).as("dashboard queries").hasSizeGreaterThanOrEqualTo(9);
    for (JsonNode rule :
        MonitoringRulesTest.yaml(MonitoringRulesTest.RULES).path("groups").get(0).path("rules")) {
      exprs.add(rule.path("expr").stringValue());
    }
    Set<String> named = new TreeSet<>();
    for (String expr : exprs) {
      Set<String> names = metricNames(expr);
      assertThat(names).as("metrics of %s", expr).isNotEmpty().isSubsetOf(scraped);
      named.addAll(names);
    }
    // the dashboard shows what the issue lists: clusters watched, stale versions, deletions and
    // refusals, API errors, leader
    assertThat(named)
        .contains(
            "spinclean_clusters_watched",
            "spinclean_clusters_multiple_serving",
            "spinclean_deletions_total",
            "spinclean_refusals_total",
            "spinclean_api_errors_total",
            "spinclean_leader");
  }

  /** The series names of a live scrape of /metrics. */
  private static Set<String> scrape() throws IOException, InterruptedException {
    Metrics metrics = new Metrics();
    try (MetricsServer server =
        MetricsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, () -> true)) {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Set<String> names = new TreeSet<>();
      // every family, from its TYPE line too: a labelled counter has no sample until it counts
      for (String line : body.split("\n", -1)) {
        if (line.startsWith("# TYPE ")) {
          names.add(line.split(" ", -1)[2]);
        } else if (!line.isBlank() && !line.startsWith("#")) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
      return names;
    }
  }
}
