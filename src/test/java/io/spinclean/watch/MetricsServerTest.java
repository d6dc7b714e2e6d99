package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The endpoints a Prometheus scrape and the kubelet's probes hit. */
class MetricsServerTest {
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
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
}
