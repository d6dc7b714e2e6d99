package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.embedded.EmbeddedDispatcher;
import io.spinclean.kube.read.LiveReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded API server's store ({@link EmbeddedDispatcher}: fabric8's CRUD mock that enforces
 * delete preconditions, collects a deleted ReplicaSet's pods and writes a ReplicaSet's {@code
 * status.observedGeneration} after a spec change) with the objects of a test, the executor's
 * client, a fake clock and the recorded requests.
 */
public final class ApplyFixture implements AutoCloseable {
  public static final String NS = "example";
  static final String SELECTOR_KEY = "load-balancer";

  public final KubernetesMockServer server;
  private final RecordingDispatcher dispatcher;

  /** Seeds and inspects the cluster; generous timeout, default retries. */
  public final KubernetesClient admin;

  /** The executor's client: short timeout and bounded retries, as a test asks. */
  public final KubernetesClient client;

  final ApplyClock sleeper = new ApplyClock();
  final Planner planner = new Planner(Policy.DEFAULT);

  /** The Service selector key the seeding builders use. */
  String selectorKey = SELECTOR_KEY;

  private final List<Call> recorded = Collections.synchronizedList(new ArrayList<>());

  /** "METHOD path" -> how many more answers to lose after the server has done the request. */
  private final Map<String, LostAnswer> losing = new ConcurrentHashMap<>();

  public ApplyFixture() {
    this(Duration.ofSeconds(10));
  }

  public ApplyFixture(Duration requestTimeout) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    RecordingDispatcher recording = new RecordingDispatcher(responses, recorded, losing);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, recording, false);
    server.init();
    dispatcher = recording;
    admin = server.createClient();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(admin.getConfiguration())
                    .withRequestTimeout((int) requestTimeout.toMillis())
                    .withRequestRetryBackoffLimit(1)
                    .withRequestRetryBackoffInterval(10)
                    .build())
            .build();
  }

  /** A reader of the live mock cluster (the fresh snapshot). */
  SnapshotSource reader() {
    return reader(NS);
  }

  SnapshotSource reader(String... namespaces) {
    LiveReader reader = new LiveReader(admin, Clock.systemUTC());
    Scope scope = Scope.of(List.of(namespaces));
    return new SnapshotSource() {
      @Override
      public Snapshot read() throws ApiException {
        awaitControllers(); // a cluster at rest, unless a test changes it
        return reader.read(scope);
      }

      @Override
      public Fresh readKeeping(java.util.Set<String> uids) throws ApiException {
        awaitControllers();
        return reader.readKeeping(scope, uids);
      }
    };
  }

  /** Returns once the ReplicaSet controller has written the status writes it owes. */
  void awaitControllers() {
    dispatcher.embedded.awaitControllers(Duration.ofSeconds(5));
  }

  /** A step a test takes around the fresh read. */
  @FunctionalInterface
  interface Change {
    void apply() throws Exception;
  }

  /**
   * The fresh read, with a change to the cluster right before it (between plan and apply). The
   * change's requests are not recorded: {@link #calls()} shows the executor's only.
   */
  SnapshotSource changeThenRead(Change change) {
    SnapshotSource read = reader();
    return () -> {
      run(change);
      return read.read();
    };
  }

  /** The fresh read, with a change to the cluster right after it (between read and delete). */
  SnapshotSource readThenChange(Change change) {
    SnapshotSource read = reader();
    return () -> {
      Snapshot snapshot = read.read();
      run(change);
      return snapshot;
    };
  }

  private void run(Change change) {
    try {
      change.apply();
      forgetRequests();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Plan plan() throws ApiException {
    return planner.plan(reader().read());
  }

  /** Loads the article's clusters and returns the plan a user is shown; forgets the seeding. */
  Plan article() throws Exception {
    load(ExecutorTest.ARTICLE);
    Plan shown = plan();
    forgetRequests();
    return shown;
  }

  Executor executor(ApplyOptions options) {
    return executor(reader(), options);
  }

  Executor executor(SnapshotSource fresh, ApplyOptions options) {
    return new Executor(client, fresh, planner, options, sleeper);
  }

  // ---- seeding ---------------------------------------------------------------------------

  enum Template {
    ENABLED,
    DISABLED
  }

  enum Readiness {
    READY,
    NOT_READY
  }

  enum Traffic {
    LABELED,
    UNLABELED
  }

  Service service(String name) {
    return admin
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addToSelector(selectorKey, name)
                .endSpec()
                .build())
        .create();
  }

  /** {@code <app>-v<NNN>} in cluster {@code replicaSet <app>}, fronted by Service {@code <app>}. */
  ReplicaSet version(String app, int number, Template template) {
    String version = String.format("v%03d", number);
    Map<String, String> templateLabels = new LinkedHashMap<>();
    templateLabels.put("app", app);
    templateLabels.put("version", version);
    if (template == Template.ENABLED) {
      templateLabels.put(selectorKey, app);
    }
    return admin
        .apps()
        .replicaSets()
        .inNamespace(NS)
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(app + "-" + version)
                .addToAnnotations("moniker.spinnaker.io/application", app)
                .addToAnnotations("moniker.spinnaker.io/cluster", "replicaSet " + app)
                .addToAnnotations("artifact.spinnaker.io/version", version)
                .addToAnnotations(
                    "traffic.spinnaker.io/load-balancers", "[\"service " + app + "\"]")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .addToMatchLabels("version", version)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(templateLabels)
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  Pod pod(ReplicaSet owner, String suffix, Readiness readiness, Traffic traffic) {
    Map<String, String> labels =
        new LinkedHashMap<>(owner.getSpec().getSelector().getMatchLabels());
    if (traffic == Traffic.LABELED) {
      labels.put(selectorKey, labels.get("app"));
    }
    return admin
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(owner.getMetadata().getName() + "-" + suffix)
                .addToLabels(labels)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withController(true)
                .withBlockOwnerDeletion(true)
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(readiness == Readiness.READY ? "True" : "False")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  /**
   * Loads kubectl-style documents (a List, multi-document YAML or one object) into the server,
   * which keeps their uids and creation times; owners first, then pods.
   *
   * @param file a path relative to the project directory
   */
  void load(String file) throws Exception {
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      items = admin.load(in).items();
    }
    // Pods in parallel: the mock answers a request in ~50 ms here.
    List<Pod> pods = items.stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
    for (HasMetadata item : items) {
      if (!(item instanceof Pod)) {
        item.getMetadata().setResourceVersion(null);
        admin.resource(item).create();
      }
    }
    pods.parallelStream()
        .forEach(
            pod -> {
              pod.getMetadata().setResourceVersion(null);
              admin.resource(pod).create();
            });
    awaitControllers();
  }

  ReplicaSet replicaSet(String name) {
    return admin.apps().replicaSets().inNamespace(NS).withName(name).get();
  }

  List<String> replicaSetNames() {
    return admin.apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .map(rs -> rs.getMetadata().getName())
        .sorted()
        .toList();
  }

  Pod pod(String name) {
    return admin.pods().inNamespace(NS).withName(name).get();
  }

  List<Pod> podsOf(String replicaSet) {
    return admin.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith(replicaSet + "-"))
        .toList();
  }

  /** How the answer to a request the server carried out is lost on its way back. */
  enum Loss {
    /** A 500 Status, as when etcd timed out after the write was committed. */
    SERVER_ERROR,
    /** The answer comes after the client's request timeout. */
    TIMEOUT
  }

  private record LostAnswer(Loss loss, AtomicInteger left) {}

  /**
   * The next {@code times} requests {@code method path} are carried out by the server, but their
   * answers are lost as {@code loss} says.
   */
  void loseAnswers(String method, String path, Loss loss, int times) {
    losing.put(method + " " + path, new LostAnswer(loss, new AtomicInteger(times)));
  }

  // ---- recorded requests -----------------------------------------------------------------

  /** One request the server received. */
  public record Call(String method, String path, String contentType, String body) {
    boolean isWrite() {
      return !method.equals("GET");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Drops what seeding recorded; call right before the code under test runs. */
  public void forgetRequests() {
    calls();
  }

  /** How many requests were received since the last {@link #calls()}, without forgetting them. */
  int callCount() {
    return recorded.size();
  }

  /** The requests received since the last call, in the order they arrived. */
  public List<Call> calls() {
    synchronized (recorded) {
      List<Call> calls = List.copyOf(recorded);
      recorded.clear();
      return calls;
    }
  }

  /**
   * Records each request with its body before the embedded store consumes it (the mock's own {@code
   * takeRequest()} hands out PATCH and POST requests with their bodies already read), and loses the
   * answers a test asks to lose.
   */
  private static final class RecordingDispatcher extends Dispatcher {
    private final EmbeddedDispatcher embedded;
    private final List<Call> recorded;
    private final Map<String, LostAnswer> losing;

    RecordingDispatcher(
        Map<ServerRequest, Queue<ServerResponse>> responses,
        List<Call> recorded,
        Map<String, LostAnswer> losing) {
      this.embedded = new EmbeddedDispatcher(responses);
      this.recorded = recorded;
      this.losing = losing;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      recorded.add(
          new Call(
              request.getMethod(),
              request.getPath(),
              request.getHeader("Content-Type"),
              new String(request.getBody().getBytes(), StandardCharsets.UTF_8)));
      MockResponse answer = embedded.dispatch(request);
      LostAnswer lost = losing.get(request.getMethod() + " " + request.getPath());
      if (lost == null || lost.left().getAndDecrement() <= 0) {
        return answer;
      }
      return switch (lost.loss()) {
        case SERVER_ERROR ->
            new MockResponse()
                .setResponseCode(500)
                .setBody(status(500, "InternalError", "etcdserver: request timed out"));
        case TIMEOUT -> answer.setBodyDelay(Duration.ofSeconds(2));
      };
    }

    @Override
    public void shutdown() {
      embedded.shutdown();
    }
  }

  List<Call> writes() {
    return calls().stream().filter(Call::isWrite).toList();
  }

  static String rsPath(String name) {
    return "/apis/apps/v1/namespaces/" + NS + "/replicasets/" + name;
  }

  static String podPath(String name) {
    return "/api/v1/namespaces/" + NS + "/pods/" + name;
  }

  public static String status(int code, String reason, String message) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":"
        + code
        + ",\"reason\":\""
        + reason
        + "\",\"message\":\""
        + message
        + "\"}";
  }

  @Override
  public void close() {
    client.close();
    admin.close();
    server.destroy();
  }
}
