package io.spinclean.kube.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.kube.read.InputException;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.kube.read.LiveReaderTest;
import io.spinclean.kube.read.PodsTest;
import io.spinclean.perf.SyntheticNamespace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API-call budget of docs/performance.md, counted on the embedded API server seeded with
 * synthetic namespaces of N clusters x V versions x P pods: {@code plan} is exactly three GET lists
 * per namespace (three cluster-wide with {@code -A}); {@code apply} is two such reads plus one
 * DELETE per deletion, and nothing per ReplicaSet besides. The paging loop (limit 500, continue
 * tokens, one restart on 410 Gone) is tested with injected pages in {@link LiveReaderTest} ({@code
 * followsContinueTokensPageByPage}, {@code anExpiredContinueTokenStartsTheListOverOnce}), since the
 * mock ignores {@code limit}.
 */
class RequestBudgetTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final List<String> NAMESPACE_LISTS =
      List.of(
          "GET /apis/apps/v1/namespaces/%s/replicasets?limit=500",
          "GET /api/v1/namespaces/%s/pods?limit=500",
          "GET /api/v1/namespaces/%s/services?limit=500");

  private EmbeddedApiServer server;
  private int seen;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedApiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void planIsThreeListsPerNamespaceWhateverItsSize() throws Exception {
    seed(new SyntheticNamespace("small", 2, 3, 1));
    seed(new SyntheticNamespace("large", 6, 5, 3));
    forget();
    try (KubeConnection conn = server.connect("small")) {
      var snapshot = LiveReader.snapshot(conn, Scope.of(List.of("large", "small")), CLOCK);
      assertThat(snapshot.replicaSets()).hasSize(30 + 6);
      assertThat(snapshot.pods()).hasSize(90 + 6);
    }
    List<String> expected = new ArrayList<>(lists("large"));
    expected.addAll(lists("small"));
    assertThat(requests()).containsExactlyElementsOf(expected);
  }

  @Test
  void planAcrossAllNamespacesIsThreeClusterWideLists() throws Exception {
    seed(new SyntheticNamespace("one", 3, 4, 2));
    seed(new SyntheticNamespace("two", 3, 4, 2));
    forget();
    try (KubeConnection conn = server.connect("one")) {
      assertThat(LiveReader.snapshot(conn, Scope.all(), CLOCK).replicaSets()).hasSize(24);
    }
    assertThat(requests())
        .containsExactly(
            "GET /apis/apps/v1/replicasets?limit=500",
            "GET /api/v1/pods?limit=500",
            "GET /api/v1/services?limit=500");
  }

  @Test
  void applyIsTwoReadsAndOneDeletePerDeletion() throws Exception {
    SyntheticNamespace ns = new SyntheticNamespace("bulk", 4, 6, 3);
    seed(ns);
    forget();
    Planner planner = new Planner(Policy.DEFAULT);
    ApplyReport report;
    try (KubeConnection conn = server.connect("bulk")) {
      SnapshotSource source = LiveReader.source(conn, Scope.of("bulk"), CLOCK);
      Plan shown = planner.plan(source.read());
      assertThat(shown.deletions()).hasSize(ns.deletions());
      report = Executor.create(conn, source, planner, ApplyOptions.DEFAULT).execute(shown);
    }
    assertThat(report.results()).allMatch(r -> r.outcome() == Outcome.DELETED);
    List<String> requests = requests();
    assertThat(requests.subList(0, 6)).containsExactlyElementsOf(twice(lists("bulk")));
    assertThat(requests.subList(6, requests.size()))
        .hasSize(ns.deletions())
        .allMatch(r -> r.startsWith("DELETE /apis/apps/v1/namespaces/bulk/replicasets/"));
    assertThat(byVerb(requests)).containsExactly(Map.entry("DELETE", 20), Map.entry("GET", 6));
  }

  @Test
  void nothingToDeleteIsTheTwoReadsOnly() throws Exception {
    seed(new SyntheticNamespace("tidy", 5, 1, 2));
    forget();
    Planner planner = new Planner(Policy.DEFAULT);
    try (KubeConnection conn = server.connect("tidy")) {
      SnapshotSource source = LiveReader.source(conn, Scope.of("tidy"), CLOCK);
      Plan shown = planner.plan(source.read());
      assertThat(shown.deletions()).isEmpty();
      Executor.create(conn, source, planner, ApplyOptions.DEFAULT).execute(shown);
    }
    assertThat(requests()).containsExactlyElementsOf(twice(lists("tidy")));
  }

  /**
   * With --drain, a version whose pods still carry a Service selector also costs one PATCH of its
   * template, one PATCH per labeled pod, and per poll one paged list of only its own pods (label
   * selector = its ReplicaSet's spec.selector.matchLabels, never the Service's keys being removed),
   * to see that they stopped serving, then one list of that ReplicaSet by name to delete it with a
   * fresh resourceVersion (the template PATCH makes the ReplicaSet controller write its status).
   * When a broken Disable already detached the template (workers-v006), there is no template PATCH,
   * whose reply tells the selector: one list of that ReplicaSet by name does. The paging is tested
   * with injected pages in {@link PodsTest}.
   */
  @Test
  void drainAddsThePatchesOfTheVersionsItDrains() throws Exception {
    try (InputStream article = getClass().getResourceAsStream("/examples/article.json")) {
      server.load(article, "article.json");
    }
    forget();
    Planner planner = new Planner(Policy.DEFAULT);
    try (KubeConnection conn = server.connect("example")) {
      SnapshotSource source = LiveReader.source(conn, Scope.of("example"), CLOCK);
      Plan shown = planner.plan(source.read());
      ApplyReport report =
          Executor.create(conn, source, planner, ApplyOptions.DEFAULT.withDrain(Duration.ZERO))
              .execute(shown);
      assertThat(report.results()).allMatch(r -> r.outcome() == Outcome.DELETED).hasSize(4);
    }
    List<String> requests = requests();
    assertThat(requests.subList(0, 6)).containsExactlyElementsOf(twice(lists("example")));
    String rs = "/apis/apps/v1/namespaces/example/replicasets/";
    String pods = "/api/v1/namespaces/example/pods";
    assertThat(requests.subList(6, requests.size()))
        .containsExactly(
            "PATCH " + rs + "stream-consumer-v003",
            "PATCH " + pods + "/stream-consumer-v003-h5v9b",
            "PATCH " + pods + "/stream-consumer-v003-m3r7f",
            "GET " + ownPods("stream-consumer", "v003"),
            "GET " + byName("stream-consumer-v003"),
            "DELETE " + rs + "stream-consumer-v003",
            "PATCH " + rs + "webapp-v002",
            "PATCH " + pods + "/webapp-v002-k2j8w",
            "PATCH " + pods + "/webapp-v002-p4n6z",
            "GET " + ownPods("webapp", "v002"),
            "GET " + byName("webapp-v002"),
            "DELETE " + rs + "webapp-v002",
            "DELETE " + rs + "workers-v005",
            "GET " + byName("workers-v006"),
            "PATCH " + pods + "/workers-v006-g2w9q",
            "PATCH " + pods + "/workers-v006-r5t8v",
            "GET " + ownPods("workers", "v006"),
            "GET " + byName("workers-v006"),
            "DELETE " + rs + "workers-v006");
  }

  private void seed(SyntheticNamespace ns) throws IOException, ApiException, InputException {
    StringWriter json = new StringWriter();
    ns.write(json);
    server.load(
        new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)), "synthetic");
  }

  /** One ReplicaSet, by a list of its name (the Role grants list, not get). */
  private static String byName(String name) {
    return "/apis/apps/v1/namespaces/example/replicasets?fieldSelector=metadata.name%3D" + name;
  }

  /** A drain's poll: the version's pods, by its ReplicaSet's matchLabels, paged. */
  private static String ownPods(String app, String version) {
    return "/api/v1/namespaces/example/pods?labelSelector=app%3D"
        + app
        + "%2Cversion%3D"
        + version
        + "&limit=500";
  }

  private static List<String> lists(String ns) {
    return NAMESPACE_LISTS.stream().map(l -> l.formatted(ns)).toList();
  }

  private static List<String> twice(List<String> lists) {
    List<String> both = new ArrayList<>(lists);
    both.addAll(lists);
    return both;
  }

  private static Map<String, Integer> byVerb(List<String> requests) {
    Map<String, Integer> counts = new TreeMap<>();
    requests.forEach(r -> counts.merge(r.substring(0, r.indexOf(' ')), 1, Integer::sum));
    return counts;
  }

  private void forget() {
    requests();
  }

  /** "METHOD path" of every request since the last call. */
  private List<String> requests() {
    var mock = server.mockServer();
    List<String> lines = new ArrayList<>();
    try {
      while (seen < mock.getRequestCount()) {
        RecordedRequest r = mock.takeRequest(5, TimeUnit.SECONDS);
        if (r == null) {
          break;
        }
        lines.add(r.getMethod() + " " + r.getPath());
        seen++;
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return lines;
  }
}
