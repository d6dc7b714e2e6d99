package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApiException;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.watch.Decision;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two controllers on one Lease: only the leader deletes; stopping it hands over. */
class LeaseElectionTest {
  static final LeaseElection.Timing FAST =
      new LeaseElection.Timing(
          Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(200));
  static final Duration SETTLE = Duration.ofMillis(300);
  static final Duration SLOW_SETTLE = Duration.ofSeconds(2);

  final Clock clock = Clock.systemUTC();
  EmbeddedApiServer server;

  /** One controller instance: its own connection, Lease campaign, watcher and decisions. */
  final class Instance implements AutoCloseable {
    final KubeConnection conn = server.connect("example");
    final Metrics metrics = new Metrics();
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final LeaseElection election;
    final Watcher watcher;

    Instance(String identity, Duration settle) throws ApiException {
      WatchSettings settings =
          new WatchSettings(
              Policy.DEFAULT, settle, 2, false, OptionalInt.empty(), Duration.ofMillis(100));
      election = LeaseElection.start(conn, "example", "spinclean", identity, FAST, metrics::leader);
      watcher =
          Watcher.start(
              conn,
              Scope.of("example"),
              settings,
              clock,
              metrics,
              decisions::add,
              election,
              e -> {
                throw e;
              },
              message -> {});
    }

    @Override
    public void close() {
      watcher.close();
      election.close();
      conn.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedApiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void loadArticle() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("examples/article.json"))) {
      server.load(in, "examples/article.json");
    }
  }

  long replicaSets() {
    return server
        .mockServer()
        .createClient()
        .apps()
        .replicaSets()
        .inNamespace("example")
        .list()
        .getItems()
        .size();
  }

  @Test
  void onlyTheLeaderDeletesAndNothingIsDoneTwice() throws Exception {
    loadArticle();
    try (Instance a = new Instance("a", SETTLE);
        Instance b = new Instance("b", SETTLE)) {
      await("a leader", () -> a.election.isLeader() || b.election.isLeader());
      await("the four deletions", () -> replicaSets() == 3);
      Thread.sleep(500); // a stand-by that also acted would have reported by now
      Instance leader = a.election.isLeader() ? a : b;
      Instance standBy = leader == a ? b : a;
      assertThat(standBy.election.isLeader()).isFalse();
      assertThat(leader.decisions)
          .hasSize(3)
          .allSatisfy(d -> assertThat(d.kind()).isEqualTo(Decision.Kind.EXECUTED));
      assertThat(standBy.decisions).isEmpty();
      assertThat(leader.metrics.deletions()).isEqualTo(4);
      assertThat(leader.metrics.render()).contains("spinclean_leader 1\n");
      assertThat(standBy.metrics.render()).contains("spinclean_leader 0\n");
    }
  }

  @Test
  void stoppingTheLeaderHandsOverToTheStandBy() throws Exception {
    // Loaded first: the embedded server's watch events carry generated uids, its lists the dump's.
    loadArticle();
    Instance a = new Instance("a", SLOW_SETTLE);
    Instance b;
    try {
      await("a leads", a.election::isLeader);
      b = new Instance("b", SLOW_SETTLE);
    } finally {
      a.close(); // releases the Lease before a's clusters settle
    }
    try (b) {
      await("b leads", b.election::isLeader);
      await("the four deletions", () -> replicaSets() == 3);
      assertThat(a.decisions).isEmpty();
      assertThat(b.decisions)
          .hasSize(3)
          .allSatisfy(d -> assertThat(d.kind()).isEqualTo(Decision.Kind.EXECUTED));
    }
  }
}
