package io.spinclean.kube.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApiException;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.watch.Decision;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spinclean watch} against the embedded API server with the article's three failed clusters:
 * informers, settle, confirmations and the real executor.
 */
public class WatchControllerTest {
  static final Duration SETTLE = Duration.ofMillis(400);
  static final Duration TICK = Duration.ofMillis(100);
  static final Set<String> ALL =
      Set.of(
          "webapp-v001",
          "webapp-v002",
          "stream-consumer-v003",
          "stream-consumer-v004",
          "workers-v005",
          "workers-v006",
          "workers-v007");

  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();
  EmbeddedApiServer server;
  KubeConnection admin;
  Set<String> planned;

  record Seen(Instant at, Decision decision) {}

  @BeforeEach
  void start() throws Exception {
    server = article.server();
    admin = article.admin();
    Plan plan =
        new Planner(Policy.DEFAULT).plan(LiveReader.snapshot(admin, Scope.of("example"), clock));
    planned =
        plan.deletions().stream()
            .map(d -> d.version().name())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(planned).hasSize(4);
  }

  Watcher watch(KubeConnection conn, boolean dryRun, List<Seen> seen, BooleanSupplier leader)
      throws ApiException {
    WatchSettings settings =
        new WatchSettings(Policy.DEFAULT, SETTLE, 2, dryRun, OptionalInt.empty(), TICK);
    return Watcher.start(
        conn,
        Scope.of("example"),
        settings,
        clock,
        new Metrics(),
        d -> seen.add(new Seen(clock.instant(), d)),
        Leadership.inMemory(leader),
        e -> {
          throw e;
        },
        message -> {});
  }

  Set<String> replicaSets() {
    return article.replicaSets();
  }

  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void deletesExactlyThePlannedVersionsAndNotBeforeTheSettlePeriod() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    Instant started = clock.instant();
    try (Watcher w = watch(server.connect("example"), false, seen, () -> true)) {
      assertThat(w.watching()).isTrue();
      await("the planned deletions", () -> !replicaSets().removeAll(planned) && seen.size() >= 3);
    }
    Set<String> kept = new TreeSet<>(ALL);
    kept.removeAll(planned);
    assertThat(replicaSets()).isEqualTo(kept);
    assertThat(seen)
        .hasSize(3)
        .allSatisfy(
            s -> {
              assertThat(s.decision().kind()).isEqualTo(Decision.Kind.EXECUTED);
              assertThat(Duration.between(started, s.at()))
                  .isGreaterThanOrEqualTo(SETTLE.plus(TICK));
            });
  }

  @Test
  void dryRunReportsEachClusterOnceAndDeletesNothing() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    try (Watcher w = watch(server.connect("example"), true, seen, () -> true)) {
      assertThat(w.watching()).isTrue();
      await("three reports", () -> seen.size() >= 3);
      Thread.sleep(SETTLE.plus(TICK.multipliedBy(3)).toMillis()); // no second report comes
    }
    assertThat(seen)
        .hasSize(3)
        .allSatisfy(s -> assertThat(s.decision().kind()).isEqualTo(Decision.Kind.WOULD_DELETE));
    assertThat(seen.stream().map(s -> s.decision().message()).sorted())
        .containsExactly(
            "dry run: would delete stream-consumer-v003",
            "dry run: would delete webapp-v002",
            "dry run: would delete workers-v005, workers-v006");
    assertThat(replicaSets()).isEqualTo(ALL);
  }

  @Test
  void aClusterThatKeepsChangingIsNotTouchedUntilItSettles() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean deploying = new AtomicBoolean(true);
    Thread deploy =
        new Thread(
            () -> {
              for (int i = 0; deploying.get(); i++) { // a failing deploy keeps changing pod status
                String n = String.valueOf(i);
                admin
                    .client()
                    .pods()
                    .inNamespace("example")
                    .withName("webapp-v002-k2j8w")
                    .edit(
                        p -> {
                          p.getMetadata().setAnnotations(Map.of("restarts", n));
                          return p;
                        });
                try {
                  Thread.sleep(SETTLE.dividedBy(4).toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    deploy.start();
    try (Watcher w = watch(server.connect("example"), false, seen, () -> true)) {
      assertThat(w.watching()).isTrue();
      await("the two quiet clusters", () -> seen.size() >= 2);
      Thread.sleep(SETTLE.multipliedBy(2).toMillis());
      assertThat(replicaSets()).contains("webapp-v002");
      assertThat(seen).hasSize(2);

      deploying.set(false);
      deploy.join();
      await("webapp once it settles", () -> !replicaSets().contains("webapp-v002"));
    } finally {
      deploying.set(false);
      deploy.join();
    }
  }
}
