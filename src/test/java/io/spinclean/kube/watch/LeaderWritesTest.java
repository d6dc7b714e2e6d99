package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spinclean.core.ApiException;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Policy;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.Intercepted;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.watch.Decision;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only the leader writes, checked right at the write: a Lease taken over between planning and
 * deleting stops the batch; the hourly cap counts what the previous leader deleted.
 */
class LeaderWritesTest {
  static final Duration SETTLE = Duration.ofMillis(300);

  final Clock clock = Clock.systemUTC();
  @RegisterExtension final ArticleServer article = new ArticleServer();
  final List<String> deletes = new CopyOnWriteArrayList<>();

  /** One controller instance on Lease example/spinclean, through {@code conn}. */
  final class Instance implements AutoCloseable {
    final KubeConnection conn;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final LeaseElection election;
    final Watcher watcher;

    Instance(String identity, KubeConnection conn, OptionalInt perHour) throws ApiException {
      this.conn = conn;
      Metrics metrics = new Metrics();
      election =
          LeaseElection.start(
              conn, "example", "spinclean", identity, LeaseElectionTest.FAST, metrics::leader);
      watcher =
          Watcher.start(
              conn,
              Scope.of("example"),
              new WatchSettings(Policy.DEFAULT, SETTLE, 2, false, perHour, Duration.ofMillis(100)),
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

  /**
   * Records every DELETE; runs {@code beforeFreshRead} on the executor's first fresh list (on the
   * caller's thread: fabric8 runs interceptors where the request is sent).
   */
  Interceptor recording(AtomicBoolean armed, Runnable beforeFreshRead) {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String path = request.uri().getPath();
        String query = String.valueOf(request.uri().getRawQuery());
        if (request.method().equals("DELETE")) {
          deletes.add(path.substring(path.lastIndexOf('/') + 1));
        } else if (path.endsWith("/replicasets")
            && !query.contains("watch=")
            // the controller's worker (WatchLoop) makes the batch's fresh read; informers list on
            // threads of their own, and may list again at any time
            && Thread.currentThread().getName().equals("spinclean-watch")
            && armed.compareAndSet(true, false)) {
          beforeFreshRead.run();
        }
      }
    };
  }

  /** Another instance writes itself into the Lease, as one that took it over would. */
  void takeOverTheLease() {
    takeOverTheLease(lease -> {});
  }

  /**
   * As {@link #takeOverTheLease()}; {@code betweenReadAndWrite} runs after each read of the Lease,
   * before the intruder writes it back. The write carries the resourceVersion read, so a renewal by
   * "a" in between makes it a 409; like any contender (fabric8's elector retries every retry
   * period), the intruder then reads again and tries again. Without that, the takeover silently did
   * not happen, and "a", still the holder, rightly deleted.
   */
  void takeOverTheLease(Consumer<Lease> betweenReadAndWrite) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeIntruder(betweenReadAndWrite);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private void writeIntruder(Consumer<Lease> betweenReadAndWrite) {
    article
        .admin()
        .client()
        .resources(Lease.class)
        .inNamespace("example")
        .withName("spinclean")
        .edit(
            l -> {
              betweenReadAndWrite.accept(l);
              l.getSpec().setHolderIdentity("intruder");
              // a holder that keeps renewing: on a loaded machine the batch can outlast FAST's
              // 1.5 s lease, and "a" must not win the Lease back before it writes
              l.getSpec().setLeaseDurationSeconds(3600);
              l.getSpec().setAcquireTime(ZonedDateTime.now(ZoneOffset.UTC));
              l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
              return l;
            });
  }

  /** Waits until "a"'s elector has renewed {@code read}, so that the intruder's copy is stale. */
  void aRenews(Lease read) {
    String seen = read.getMetadata().getResourceVersion();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (seen.equals(lease().getMetadata().getResourceVersion())) {
      assertThat(System.nanoTime()).as("waiting for a's renewal").isLessThan(deadline);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  Lease lease() {
    return article
        .admin()
        .client()
        .resources(Lease.class)
        .inNamespace("example")
        .withName("spinclean")
        .get();
  }

  @Test
  void aLeaseTakenOverBetweenPlanningAndDeletingStopsTheBatch() throws Exception {
    takenOverBetweenPlanningAndDeleting(this::takeOverTheLease);
  }

  /**
   * The race that made the test above flaky under load: "a"'s elector renews the Lease between the
   * intruder's read and its write, so the intruder's first write is refused (409, stale
   * resourceVersion); a contender that takes a Lease over tries again, as fabric8's elector does.
   */
  @Test
  void aLeaseTakenOverWhileItsHolderRenewsItStopsTheBatch() throws Exception {
    AtomicBoolean first = new AtomicBoolean(true);
    takenOverBetweenPlanningAndDeleting(
        () ->
            takeOverTheLease(
                read -> {
                  if (first.compareAndSet(true, false)) {
                    aRenews(read);
                  }
                }));
  }

  void takenOverBetweenPlanningAndDeleting(Runnable takeOver) throws Exception {
    AtomicBoolean armed = new AtomicBoolean();
    KubeConnection conn =
        Intercepted.connect(article.server(), "example", recording(armed, takeOver));
    armed.set(true); // the worker's first list is the first batch's fresh read
    try (Instance a = new Instance("a", conn, OptionalInt.empty())) {
      await("a leads", a.election::isLeader);
      await("a decision", () -> !a.decisions.isEmpty());
      Decision first = a.decisions.get(0);
      assertThat(first.kind()).isEqualTo(Decision.Kind.EXECUTED);
      assertThat(first.report().orElseThrow().results())
          .isNotEmpty()
          .extracting(DeletionResult::outcome)
          .containsOnly(Outcome.NOT_ATTEMPTED);
    }
    assertThat(deletes).isEmpty();
    assertThat(article.replicaSets()).hasSize(7);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("intruder");
  }

  @Test
  void theHourlyCapCountsWhatThePreviousLeaderDeleted() throws Exception {
    AtomicBoolean never = new AtomicBoolean();
    try (Instance a =
        new Instance(
            "a",
            Intercepted.connect(article.server(), "example", recording(never, () -> {})),
            OptionalInt.of(4))) {
      await("a's four deletions", () -> deletes.size() == 4 && a.decisions.size() == 3);
    } // a stops and releases the Lease
    article
        .admin()
        .client()
        .apps()
        .replicaSets()
        .inNamespace("example")
        .resource(failed())
        .create();

    try (Instance b =
        new Instance(
            "b",
            Intercepted.connect(article.server(), "example", recording(never, () -> {})),
            OptionalInt.of(4))) {
      await("b leads", b.election::isLeader);
      await("b's decision on webapp", () -> !b.decisions.isEmpty());
      assertThat(b.decisions)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.kind()).isEqualTo(Decision.Kind.CAPPED);
                assertThat(d.message())
                    .isEqualTo(
                        "not deleting webapp-v003: --max-deletions-per-hour 4 would be exceeded");
              });
    }
    assertThat(deletes).hasSize(4).doesNotContain("webapp-v003");
    assertThat(article.exists("webapp-v003")).isTrue();
  }

  /** webapp-v003: a copy of the serving webapp-v001 with no pods, so a failed newer version. */
  ReplicaSet failed() {
    ReplicaSet keeper =
        article
            .admin()
            .client()
            .apps()
            .replicaSets()
            .inNamespace("example")
            .withName("webapp-v001")
            .get();
    return new ReplicaSetBuilder(keeper)
        .editMetadata()
        .withName("webapp-v003")
        .withUid(null)
        .withResourceVersion(null)
        .withCreationTimestamp(null)
        .addToAnnotations("moniker.spinnaker.io/sequence", "3")
        .endMetadata()
        .withStatus(null)
        .build();
  }
}
