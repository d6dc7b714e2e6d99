package io.spinclean.watch;

import static io.spinclean.watch.Worlds.WEBAPP;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The series the alerts of deploy/monitoring read: clusters refused now (a standing refusal is
 * counted once by spinclean_refusals_total, but stays visible in the gauge), deletions that failed,
 * and readiness.
 */
class MonitoringSeriesTest {
  static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
  static final Duration SETTLE = Duration.ofMinutes(5);
  static final Duration TICK = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(T0);
  final Metrics metrics = new Metrics();
  Snapshot world;

  Controller controller(Controller.Actor actor) {
    return new Controller(
        new WatchSettings(Policy.DEFAULT, SETTLE, 1, false, OptionalInt.empty(), TICK),
        new Controller.Cache() {
          @Override
          public Snapshot snapshot(String namespace) {
            return world;
          }

          @Override
          public Optional<Instant> watchingSince(String namespace) {
            return Optional.of(T0.minus(Duration.ofHours(1)));
          }

          @Override
          public Instant outageEnd(String namespace) {
            return T0.minus(Duration.ofHours(1));
          }
        },
        actor,
        Leadership.inMemory(() -> true),
        clock,
        metrics,
        d -> {},
        w -> {});
  }

  @Test
  void aStandingRefusalStaysInTheGaugeUntilTheClusterIsHealthy() {
    world = // two versions, neither serves
        new Worlds()
            .version(1, T0, Duration.ofDays(2), 0, 2)
            .version(2, T0, Duration.ofHours(1), 0, 2)
            .at(T0);
    Controller c =
        controller(
            (plan, planner) -> {
              throw new AssertionError("a refused cluster is not acted on");
            });
    assertThat(metrics.render()).contains("spinclean_clusters_refused 0\n");
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    for (int i = 0; i < 10; i++) {
      c.evaluate(WEBAPP);
      clock.advance(TICK);
    }
    assertThat(metrics.render())
        .contains("spinclean_refusals_total{reason=\"no_serving_version\"} 1\n")
        .contains("spinclean_clusters_refused 1\n");

    world = new Worlds().version(1, T0, Duration.ofDays(2), 2, 0).at(clock.instant()); // serves
    c.changed(WEBAPP);
    c.evaluate(WEBAPP);
    assertThat(metrics.render()).contains("spinclean_clusters_refused 0\n");
  }

  @Test
  void deletionsThatFailAreCounted() {
    world =
        new Worlds()
            .version(1, T0, Duration.ofDays(2), 2, 0)
            .version(2, T0, Duration.ofHours(1), 0, 2)
            .at(T0);
    boolean[] down = {true};
    Controller c =
        controller(
            (plan, planner) -> {
              if (down[0]) {
                throw new ApiException("cannot list replicasets in namespace prod: 503");
              }
              return new ApplyReport(
                  plan,
                  plan.deletions().stream()
                      .map(
                          d ->
                              new DeletionResult(
                                  d.cluster(),
                                  d.version().name(),
                                  d.version().uid(),
                                  Outcome.FAILED,
                                  false,
                                  "403 forbidden"))
                      .toList(),
                  List.of());
            });
    assertThat(metrics.render()).contains("spinclean_deletion_failures_total 0\n");
    c.changed(WEBAPP);
    clock.advance(SETTLE);
    c.evaluate(WEBAPP); // the fresh read fails: nothing deleted
    assertThat(metrics.render()).contains("spinclean_deletion_failures_total 1\n");

    down[0] = false;
    clock.advance(TICK);
    c.evaluate(WEBAPP); // the delete itself fails
    assertThat(metrics.render())
        .contains("spinclean_deletion_failures_total 2\n")
        .contains("spinclean_deletions_total 0\n");
  }

  @Test
  void theScrapeSaysWhetherTheControllerIsReady() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (MetricsServer server =
        MetricsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, ready::get)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
      assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body())
          .contains("# TYPE spinclean_ready gauge\nspinclean_ready 0\n");
      ready.set(true);
      assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body())
          .contains("spinclean_ready 1\n");
    }
  }
}
