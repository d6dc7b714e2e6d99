package io.spinclean.kube.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetListBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads against fabric8's mock API server in CRUD mode, with faults injected per request path. */
public class LiveReaderTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  static final String RS_X = "/apis/apps/v1/namespaces/x/replicasets?limit=500";
  static final String PODS_X = "/api/v1/namespaces/x/pods?limit=500";
  static final String SVC_X = "/api/v1/namespaces/x/services?limit=500";
  // Kubernetes continue tokens are unpadded URL-safe base64.
  static final String TOKEN_1 = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDIsInN0YXJ0IjoiYSJ9";
  static final String TOKEN_2 = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDIsInN0YXJ0IjoiYiJ9";

  private KubernetesMockServer server;
  private KubeConnection conn;
  private int seen;

  public static KubernetesMockServer startMock(boolean https) throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer mock =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            https);
    mock.init(InetAddress.getLoopbackAddress(), 0);
    return mock;
  }

  /** A connection as {@link KubeConnection#open} makes it, with context "ctx-y". */
  public static KubeConnection connect(String url) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).build();
    config.setCurrentContext(
        new NamedContextBuilder().withName("ctx-y").withNewContext().endContext().build());
    return KubeConnection.create(config);
  }

  @BeforeEach
  void start() throws Exception {
    server = startMock(false);
    conn = connect(url());
  }

  @AfterEach
  void stop() {
    conn.close();
    server.destroy();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private Snapshot read(Scope scope) throws ApiException {
    forgetRequests();
    return LiveReader.snapshot(conn, scope, CLOCK);
  }

  private void forgetRequests() {
    requests();
  }

  /** "METHOD path" of every request since the last call. */
  private List<String> requests() {
    List<String> lines = new ArrayList<>();
    try {
      while (seen < server.getRequestCount()) {
        RecordedRequest r = server.takeRequest();
        lines.add(r.getMethod() + " " + r.getPath());
        seen++;
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return lines;
  }

  private static ReplicaSet rs(String ns, String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToAnnotations("moniker.spinnaker.io/application", "web")
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .endSpec()
        .build();
  }

  private void seed(String ns, String rsName) {
    KubernetesClient c = conn.client();
    c.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(existing -> existing.update());
    c.apps().replicaSets().inNamespace(ns).resource(rs(ns, rsName)).create();
    c.pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(rsName + "-pod")
                .addToLabels("load-balancer", "web")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
    c.services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(rsName + "-svc")
                .endMetadata()
                .withNewSpec()
                .addToSelector("load-balancer", "web")
                .endSpec()
                .build())
        .create();
  }

  private static Status status(int code, String reason) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(reason)
        .build();
  }

  @Test
  void readsOneListEachOfReplicaSetsPodsAndServicesWithGetsOnly() throws Exception {
    seed("x", "web-v001");
    seed("other", "other-v001");

    Snapshot s = read(Scope.of("x"));

    assertThat(requests()).containsExactly("GET " + RS_X, "GET " + PODS_X, "GET " + SVC_X);
    assertThat(s.takenAt()).isEqualTo(CLOCK.instant());
    assertThat(s.replicaSets())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("web-v001");
              assertThat(r.namespace()).isEqualTo("x");
              assertThat(r.replicas()).isEqualTo(2);
              assertThat(r.uid()).isNotEmpty();
              assertThat(r.annotations()).containsEntry("moniker.spinnaker.io/application", "web");
            });
    assertThat(s.pods()).singleElement().satisfies(p -> assertThat(p.ready()).isTrue());
    assertThat(s.services())
        .singleElement()
        .satisfies(svc -> assertThat(svc.selector()).containsEntry("load-balancer", "web"));
  }

  @Test
  void readsNamespacesInTheOrderGiven() throws Exception {
    seed("a", "a-v001");
    seed("b", "b-v001");

    Snapshot s = read(Scope.of(List.of("b", "a")));

    assertThat(requests())
        .containsExactly(
            "GET /apis/apps/v1/namespaces/b/replicasets?limit=500",
            "GET /api/v1/namespaces/b/pods?limit=500",
            "GET /api/v1/namespaces/b/services?limit=500",
            "GET /apis/apps/v1/namespaces/a/replicasets?limit=500",
            "GET /api/v1/namespaces/a/pods?limit=500",
            "GET /api/v1/namespaces/a/services?limit=500");
    assertThat(s.replicaSets()).extracting(r -> r.name()).containsExactly("b-v001", "a-v001");
  }

  @Test
  void allNamespacesIsThreeClusterWideLists() throws Exception {
    seed("a", "a-v001");
    seed("b", "b-v001");

    Snapshot s = read(Scope.all());

    assertThat(requests())
        .containsExactly(
            "GET /apis/apps/v1/replicasets?limit=500",
            "GET /api/v1/pods?limit=500",
            "GET /api/v1/services?limit=500");
    assertThat(s.replicaSets())
        .extracting(r -> r.name())
        .containsExactlyInAnyOrder("a-v001", "b-v001");
    assertThat(s.pods()).hasSize(2);
  }

  @Test
  void followsContinueTokensPageByPage() throws Exception {
    seed("x", "crud-only");
    String page2 = "/apis/apps/v1/namespaces/x/replicasets?continue=" + TOKEN_1 + "&limit=500";
    String page3 = "/apis/apps/v1/namespaces/x/replicasets?continue=" + TOKEN_2 + "&limit=500";
    server.expect().get().withPath(RS_X).andReturn(200, page(TOKEN_1, "a")).once();
    server.expect().get().withPath(page2).andReturn(200, page(TOKEN_2, "b", "c")).once();
    server.expect().get().withPath(page3).andReturn(200, page(null, "d")).once();

    Snapshot s = read(Scope.of("x"));

    assertThat(s.replicaSets()).extracting(r -> r.name()).containsExactly("a", "b", "c", "d");
    assertThat(requests())
        .containsExactly(
            "GET " + RS_X, "GET " + page2, "GET " + page3, "GET " + PODS_X, "GET " + SVC_X);
  }

  @Test
  void anExpiredContinueTokenStartsTheListOverOnce() throws Exception {
    seed("x", "b");
    conn.client().apps().replicaSets().inNamespace("x").resource(rs("x", "a")).create();
    String page2 = "/apis/apps/v1/namespaces/x/replicasets?continue=" + TOKEN_1 + "&limit=500";
    server.expect().get().withPath(RS_X).andReturn(200, page(TOKEN_1, "a")).once();
    server.expect().get().withPath(page2).andReturn(410, status(410, "Expired")).once();

    Snapshot s = read(Scope.of("x"));

    // the second pass (answered by the CRUD store) replaces the first page: "a" only once
    assertThat(s.replicaSets()).extracting(r -> r.name()).containsExactlyInAnyOrder("a", "b");
    assertThat(requests())
        .containsExactly(
            "GET " + RS_X, "GET " + page2, "GET " + RS_X, "GET " + PODS_X, "GET " + SVC_X);
  }

  @Test
  void aSecondExpiredContinueTokenIsAnError() {
    String page2 = "/apis/apps/v1/namespaces/x/replicasets?continue=" + TOKEN_1 + "&limit=500";
    server.expect().get().withPath(RS_X).andReturn(200, page(TOKEN_1, "a")).times(2);
    server.expect().get().withPath(page2).andReturn(410, status(410, "Expired")).times(2);

    assertThatThrownBy(() -> read(Scope.of("x")))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "cannot list replicasets in namespace x: the list expired twice while paging"
                + " (410 Gone); it changes faster than it can be read, try again");
    assertThat(requests())
        .containsExactly("GET " + RS_X, "GET " + page2, "GET " + RS_X, "GET " + page2);
  }

  @Test
  void forbiddenNamesTheDeniedListAndTheRole() {
    seed("x", "web-v001");
    server.expect().get().withPath(PODS_X).andReturn(403, status(403, "Forbidden")).always();

    assertThatThrownBy(() -> read(Scope.of("x")))
        .hasMessage("cannot list pods in namespace x: forbidden (403): grant the Role in deploy/");
    assertThat(requests()).doesNotContain("GET " + SVC_X).allMatch(r -> r.startsWith("GET "));
  }

  @Test
  void forbiddenAcrossAllNamespacesNeedsTheClusterRole() {
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1/replicasets?limit=500")
        .andReturn(403, status(403, "Forbidden"))
        .always();

    assertThatThrownBy(() -> read(Scope.all()))
        .hasMessage(
            "cannot list replicasets in all namespaces: forbidden (403): grant the ClusterRole in"
                + " deploy/");
  }

  @Test
  void unauthorizedNamesTheContext() {
    server.expect().get().withPath(RS_X).andReturn(401, status(401, "Unauthorized")).always();

    assertThatThrownBy(() -> read(Scope.of("x")))
        .hasMessage(
            "cannot list replicasets in namespace x: unauthorized (401): check the credentials of"
                + " context ctx-y");
  }

  @Test
  void aNamespaceThatDoesNotExist() {
    assertThatThrownBy(() -> read(Scope.of("nope")))
        .hasMessage("namespace \"nope\" does not exist");
    assertThat(requests())
        .containsExactly(
            "GET /apis/apps/v1/namespaces/nope/replicasets?limit=500",
            "GET /api/v1/namespaces/nope/pods?limit=500",
            "GET /api/v1/namespaces/nope/services?limit=500",
            "GET /api/v1/namespaces/nope");
  }

  @Test
  void anEmptyNamespaceIsAnEmptySnapshot() throws Exception {
    conn.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build())
        .create();

    Snapshot s = read(Scope.of("x"));

    assertThat(s.replicaSets()).isEmpty();
    assertThat(requests()).endsWith("GET /api/v1/namespaces/x");
  }

  @Test
  void aNamespaceThatMayNotBeReadIsTakenAsEmpty() throws Exception {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/x")
        .andReturn(403, status(403, "Forbidden"))
        .always();

    Snapshot s = read(Scope.of("x"));

    assertThat(s.pods()).isEmpty();
  }

  @Test
  void anInvalidNamespaceNameIsNotSent() {
    assertThatThrownBy(() -> read(Scope.of("Bad_NS")))
        .hasMessage("namespace \"Bad_NS\" does not exist (not a valid namespace name)");
    assertThat(requests()).isEmpty();
  }

  @Test
  void aServerThatKeepsFailingIsRetriedThreeTimes() {
    server.expect().get().withPath(RS_X).andReturn(503, status(503, "ServiceUnavailable")).always();

    assertThatThrownBy(() -> read(Scope.of("x")))
        .hasMessage(
            "cannot list replicasets in namespace x: the API server failed (503):"
                + " ServiceUnavailable");
    assertThat(requests())
        .containsExactly("GET " + RS_X, "GET " + RS_X, "GET " + RS_X, "GET " + RS_X);
  }

  @Test
  void anUnreachableServer() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (KubeConnection nowhere = connect("http://127.0.0.1:" + port)) {
      assertThatThrownBy(() -> LiveReader.snapshot(nowhere, Scope.of("x"), CLOCK))
          .hasMessage(
              "cannot reach the Kubernetes API server at http://127.0.0.1:"
                  + port
                  + ": connection refused");
    }
  }

  @Test
  void aSlowServerTimesOut() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withRequestTimeout(300)
            .withRequestRetryBackoffLimit(0)
            .build();
    server.expect().get().delay(3000).withPath(RS_X).andReturn(200, page(null, "a")).once();
    try (KubeConnection impatient =
        KubeConnection.of(
            new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build(),
            "default")) {
      assertThatThrownBy(() -> LiveReader.snapshot(impatient, Scope.of("x"), CLOCK))
          .hasMessage(
              "cannot list replicasets in namespace x: timed out after 300ms waiting for the"
                  + " Kubernetes API server at "
                  + url());
    }
  }

  @Test
  void tlsVerificationStaysOn() throws Exception {
    KubernetesMockServer tls = startMock(true);
    String https = "https://127.0.0.1:" + tls.getPort();
    try (KubeConnection c = connect(https)) {
      assertThatThrownBy(() -> LiveReader.snapshot(c, Scope.of("x"), CLOCK))
          .hasMessage(
              "TLS handshake with "
                  + https
                  + " failed: the server's certificate is not signed by"
                  + " a trusted certificate authority (check certificate-authority-data in the"
                  + " kubeconfig); spinclean keeps certificate verification on");
      assertThat(tls.getRequestCount()).isZero();
    } finally {
      tls.destroy();
    }
  }

  @Test
  void aSourceReadsAFreshSnapshotEachTime() throws Exception {
    seed("x", "web-v001");
    SnapshotSource source = LiveReader.source(conn, Scope.of("x"), CLOCK);

    Snapshot first = source.read();
    conn.client().apps().replicaSets().inNamespace("x").resource(rs("x", "web-v002")).create();
    Snapshot second = source.read();

    assertThat(first.replicaSets()).hasSize(1);
    assertThat(second.replicaSets()).hasSize(2);
  }

  private static Object page(String continueToken, String... names) {
    ReplicaSetListBuilder list =
        new ReplicaSetListBuilder()
            .withMetadata(new ListMetaBuilder().withContinue(continueToken).build());
    for (String name : names) {
      list.addToItems(rs("x", name));
    }
    return list.build();
  }
}
