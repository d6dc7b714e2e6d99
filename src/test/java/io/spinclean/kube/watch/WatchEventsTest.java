package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.watch.EventReporter;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Events a user reads in {@code kubectl describe rs}. */
class WatchEventsTest {
  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();
  EmbeddedApiServer server;
  KubeConnection conn;

  @BeforeEach
  void start() throws Exception {
    server = article.server();
    conn = article.admin();
  }

  List<Event> events() {
    return conn.client().v1().events().inNamespace("example").list().getItems();
  }

  void run(boolean dryRun, List<String> errors) throws Exception {
    WatchSettings settings =
        new WatchSettings(
            Policy.DEFAULT,
            Duration.ofMillis(300),
            2,
            dryRun,
            OptionalInt.empty(),
            Duration.ofMillis(100));
    EventRecorder recorder = EventRecorder.create(conn, clock);
    try (Watcher w =
        Watcher.start(
            conn,
            Scope.of("example"),
            settings,
            clock,
            new Metrics(),
            new EventReporter(recorder::record, clock, Duration.ofMillis(300), errors::add),
            Leadership.alone(),
            e -> {
              throw e;
            },
            message -> {})) {
      assertThat(w.watching()).isTrue();
      await("four Events", () -> events().size() >= 4);
    }
  }

  @Test
  void everyDeletionLeavesAnEventOnItsReplicaSet() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    run(false, errors);

    assertThat(errors).isEmpty();
    assertThat(events())
        .hasSize(4)
        .allSatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getReason()).isEqualTo("Deleted");
              assertThat(e.getSource().getComponent()).isEqualTo("spinclean");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
              assertThat(e.getInvolvedObject().getUid()).isNotEmpty();
              assertThat(e.getMessage()).startsWith("spinclean deleted this version of example/");
            });
    assertThat(events())
        .extracting(e -> e.getInvolvedObject().getName())
        .containsExactlyInAnyOrder(
            "webapp-v002", "stream-consumer-v003", "workers-v005", "workers-v006");
  }

  @Test
  void aDryRunSaysWhatItWouldDeleteAndWhy() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    run(true, errors);

    assertThat(events())
        .hasSize(4)
        .allSatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("WouldDelete");
              assertThat(e.getMessage())
                  .startsWith("dry run: spinclean would delete this version (");
            });
    assertThat(conn.client().apps().replicaSets().inNamespace("example").list().getItems())
        .hasSize(7);
  }
}
