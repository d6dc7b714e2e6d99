package io.spinclean.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.read.DumpReader;
import io.spinclean.kube.read.DumpReaderTest;
import io.spinclean.kube.read.InputException;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.kube.read.LiveReaderTest;
import io.spinclean.kube.watch.WatchControllerTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedApiServerTest {
  static final String ARTICLE = "examples/article.json";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private EmbeddedApiServer api;

  @BeforeEach
  void start() throws Exception {
    api = EmbeddedApiServer.start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static ReplicaSet withoutResourceVersion(ReplicaSet r) {
    return new ReplicaSet(
        r.namespace(),
        r.name(),
        r.uid(),
        "",
        r.createdAt(),
        r.controlled(),
        r.terminating(),
        r.annotations(),
        r.labels(),
        r.templateLabels(),
        r.replicas(),
        r.selector());
  }

  @Test
  void theLoadedArticleReadsBackAsTheDumpSays() throws Exception {
    api.load(Path.of(ARTICLE));
    Snapshot dump =
        DumpReader.read(List.of(ARTICLE), InputStream.nullInputStream(), CLOCK.instant());

    Snapshot live;
    try (KubeConnection conn = api.connect("example")) {
      live = LiveReader.snapshot(conn, Scope.of("example"), CLOCK);
    }

    assertThat(live.replicaSets()).hasSize(7);
    assertThat(live.pods()).hasSize(15);
    assertThat(live.services()).hasSize(3);
    // uids and creation times are the file's (the mock alone would overwrite both)
    assertThat(live.replicaSets().stream().map(EmbeddedApiServerTest::withoutResourceVersion))
        .containsExactlyInAnyOrderElementsOf(
            dump.replicaSets().stream()
                .map(EmbeddedApiServerTest::withoutResourceVersion)
                .toList());
    assertThat(live.pods()).containsExactlyInAnyOrderElementsOf(dump.pods());
    assertThat(live.services()).containsExactlyInAnyOrderElementsOf(dump.services());
    assertThat(
            live.replicaSets().stream()
                .sorted(Comparator.comparing(ReplicaSet::createdAt))
                .map(ReplicaSet::name))
        .containsExactly(
            "workers-v005",
            "stream-consumer-v003",
            "workers-v006",
            "webapp-v001",
            "webapp-v002",
            "stream-consumer-v004",
            "workers-v007");
  }

  /**
   * Why {@link EmbeddedDispatcher} exists: fabric8's CRUD mock replaces a created object's uid and
   * creationTimestamp, and neither an update nor a JSON patch can set them back.
   */
  @Test
  void theCrudMockAloneWouldLoseUidAndCreationTimeButTheEmbeddedServerKeepsThem() throws Exception {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withUid("aa-1")
            .withCreationTimestamp("2020-01-01T00:00:00Z")
            .endMetadata()
            .build();
    KubernetesMockServer plain = LiveReaderTest.startMock(false);
    try (KubeConnection conn = LiveReaderTest.connect("http://127.0.0.1:" + plain.getPort())) {
      var pods = conn.client().pods().inNamespace("x");
      Pod created = pods.resource(pod).create();
      created.getMetadata().setCreationTimestamp("2020-01-01T00:00:00Z");
      Pod updated = pods.resource(created).update();
      Pod patched =
          pods.withName("p")
              .edit(
                  p ->
                      new PodBuilder(p)
                          .editMetadata()
                          .withCreationTimestamp("2020-01-01T00:00:00Z")
                          .endMetadata()
                          .build());

      assertThat(created.getMetadata().getUid()).isNotEqualTo("aa-1");
      assertThat(List.of(updated, patched))
          .extracting(p -> p.getMetadata().getCreationTimestamp())
          .doesNotContain("2020-01-01T00:00:00Z");
    } finally {
      plain.destroy();
    }

    try (KubeConnection conn = api.connect()) {
      Pod kept = conn.client().pods().inNamespace("x").resource(pod).create();

      assertThat(kept.getMetadata().getUid()).isEqualTo("aa-1");
      assertThat(kept.getMetadata().getCreationTimestamp()).isEqualTo("2020-01-01T00:00:00Z");
      assertThat(conn.client().pods().inNamespace("x").withName("p").get().getMetadata().getUid())
          .isEqualTo("aa-1");
    }
  }

  /**
   * A watch opened before the dump is loaded (as an informer's is), the list, a get, the answers to
   * a patch and an update and their MODIFIED events: each shows the dump's uid and
   * creationTimestamp, so an informer's cache and a live read agree on which pods belong to which
   * version and which version is newer.
   */
  @Test
  void watchEventsListsAndUpdatesShowTheDumpsUidsAndCreationTimes() throws Exception {
    Snapshot dump =
        DumpReader.read(List.of(ARTICLE), InputStream.nullInputStream(), CLOCK.instant());
    List<String> expected = new ArrayList<>();
    for (ReplicaSet r : dump.replicaSets()) {
      expected.add("ADDED " + r.name() + " " + r.uid() + " " + r.createdAt());
    }
    ReplicaSet edited = dump.replicaSets().get(0);
    String now = edited.name() + " " + edited.uid() + " " + edited.createdAt();
    expected.add("MODIFIED " + now); // a JSON patch
    expected.add("MODIFIED " + now); // an update
    List<String> events = new CopyOnWriteArrayList<>();

    try (KubeConnection conn = api.connect("example")) {
      var replicaSets = conn.client().apps().replicaSets().inNamespace("example");
      Watch watch = replicaSets.watch(recorder(events));
      try {
        api.load(Path.of(ARTICLE));
        var patched =
            replicaSets
                .withName(edited.name())
                .edit(
                    r ->
                        new ReplicaSetBuilder(r)
                            .editMetadata()
                            .addToLabels("x", "y")
                            .endMetadata()
                            .build());
        patched.getMetadata().getLabels().put("x", "z");
        var updated = replicaSets.resource(patched).update();
        WatchControllerTest.await("9 events", () -> events.size() >= expected.size());

        assertThat(List.of(patched, updated, replicaSets.withName(edited.name()).get()))
            .extracting(r -> describe("ANSWER", r))
            .containsOnly("ANSWER " + now);
      } finally {
        watch.close();
      }
      assertThat(events).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(replicaSets.list().getItems())
          .extracting(r -> describe("ADDED", r))
          .containsExactlyInAnyOrderElementsOf(expected.subList(0, dump.replicaSets().size()));
    }
  }

  private static String describe(String action, io.fabric8.kubernetes.api.model.HasMetadata o) {
    var meta = o.getMetadata();
    return action
        + " "
        + meta.getName()
        + " "
        + meta.getUid()
        + " "
        + Instant.parse(meta.getCreationTimestamp());
  }

  private static Watcher<io.fabric8.kubernetes.api.model.apps.ReplicaSet> recorder(
      List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, io.fabric8.kubernetes.api.model.apps.ReplicaSet r) {
        events.add(describe(action.name(), r));
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Test
  void theLivePlanIsTheDumpsPlan() throws Exception {
    api.load(Path.of(ARTICLE));
    Snapshot dump =
        DumpReader.read(List.of(ARTICLE), InputStream.nullInputStream(), CLOCK.instant());
    Snapshot live;
    try (KubeConnection conn = api.connect("example")) {
      live = LiveReader.snapshot(conn, Scope.of("example"), CLOCK);
    }

    Plan fromDump = new Planner(Policy.DEFAULT).plan(dump);
    Plan fromLive = new Planner(Policy.DEFAULT).plan(live);

    assertThat(fromLive.clusters())
        .extracting(ClusterPlan::keep)
        .isEqualTo(fromDump.clusters().stream().map(ClusterPlan::keep).toList());
    assertThat(fromLive.deletions())
        .extracting(d -> d.version().name())
        .containsExactlyElementsOf(
            fromDump.deletions().stream().map(d -> d.version().name()).toList())
        .isNotEmpty();
  }

  @Test
  void clouddriverFixturesKeepTheirOwners() throws Exception {
    try (var files = Files.list(DumpReaderTest.CLOUDDRIVER)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        api.load(p);
      }
    }

    Snapshot live;
    try (KubeConnection conn = api.connect()) {
      live = LiveReader.snapshot(conn, Scope.of(List.of("backend-ns", "frontend-ns")), CLOCK);
    }

    assertThat(live.replicaSets())
        .extracting(ReplicaSet::name, ReplicaSet::controlled)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("backend-v014", false),
            org.assertj.core.groups.Tuple.tuple("backend-v015", false),
            org.assertj.core.groups.Tuple.tuple("frontend-5c6559f75f", true));
    assertThat(live.pods()).hasSize(2).allSatisfy(p -> assertThat(p.ready()).isTrue());
    assertThat(live.services()).hasSize(1);
  }

  @Test
  void objectsWithoutNamespaceGoToDefault() throws Exception {
    String pod = "kind: Pod\napiVersion: v1\nmetadata: {name: lonely}\n";
    api.load(new ByteArrayInputStream(pod.getBytes(StandardCharsets.UTF_8)), "pod.yaml");

    try (KubeConnection conn = api.connect()) {
      assertThat(conn.defaultNamespace()).isEqualTo("default");
      assertThat(LiveReader.snapshot(conn, Scope.of("default"), CLOCK).pods())
          .extracting(p -> p.name())
          .containsExactly("lonely");
    }
  }

  @Test
  void aDumpThatCannotBeReadLoadsNothing() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"kind\": ");

    assertThatThrownBy(() -> api.load(broken))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(broken + ": not JSON or YAML");
  }

  @Test
  void aWrittenKubeconfigConnectsLikeKubectlWould() throws Exception {
    api.load(Path.of(ARTICLE));
    Path kubeconfig = api.writeKubeconfig(dir.resolve("demo/kubeconfig"), "example");

    try (KubeConnection conn = KubeConnection.open(kubeconfig.toString(), null)) {
      assertThat(conn.defaultNamespace()).isEqualTo("example");
      assertThat(conn.server()).isEqualTo(api.url());
      assertThat(conn.credentials()).isEqualTo("context spinclean-demo");
      assertThat(LiveReader.snapshot(conn, Scope.of(conn.defaultNamespace()), CLOCK).replicaSets())
          .hasSize(7);
    }
    assertThatThrownBy(() -> KubeConnection.open(kubeconfig.toString(), "nope"))
        .hasMessage(
            "context \"nope\" not found in kubeconfig "
                + kubeconfig
                + " (its contexts: spinclean-demo)");
  }

  @Test
  void faultsCanBeInjectedIntoALoadedServer() throws Exception {
    api.load(Path.of(ARTICLE));
    api.mockServer()
        .expect()
        .get()
        .withPath("/api/v1/namespaces/example/pods?limit=500")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build())
        .once();

    try (KubeConnection conn = api.connect("example")) {
      assertThatThrownBy(() -> LiveReader.snapshot(conn, Scope.of("example"), CLOCK))
          .hasMessage(
              "cannot list pods in namespace example: forbidden (403): grant the Role in"
                  + " deploy/");
      assertThat(LiveReader.snapshot(conn, Scope.of("example"), CLOCK).pods())
          .as("the CRUD store answers once the fault is used up")
          .hasSize(15);
    }
  }

  @Test
  void closingStopsTheServer() throws Exception {
    String url = api.url();
    api.close();

    try (KubeConnection conn = api.connect()) {
      assertThatThrownBy(() -> LiveReader.snapshot(conn, Scope.of("example"), CLOCK))
          .hasMessage("cannot reach the Kubernetes API server at " + url + ": connection refused");
    }
  }
}
