package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import io.spinclean.deploy.Rbac.Permission;
import io.spinclean.deploy.RbacProxy.Call;
import io.spinclean.kube.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * deploy/controller's RBAC against what {@code spinclean watch} really does: the Deployment's own
 * arguments run in-process on the article's scenarios, through {@link RbacProxy} with the Roles
 * that deploy/controller renders for the Deployment's ServiceAccount, in the Deployment's namespace
 * (the pod's, where the Lease is). The informers' watches go through the proxy as WebSocket
 * upgrades, authorized as verb {@code watch}. Every request must be allowed, and every permission
 * granted used.
 */
class ControllerRbacTest {
  static final Path CONTROLLER = Kustomize.DEPLOY.resolve("controller");

  /** What the article's three clusters lose (see WatchCliTest). */
  static final Set<String> DELETED =
      Set.of("webapp-v002", "stream-consumer-v003", "workers-v005", "workers-v006");

  @TempDir Path tmp;

  /** The Deployment's pod, as far as RBAC goes: its namespace, ServiceAccount and arguments. */
  record Pod(String namespace, String serviceAccount, List<String> args) {
    static Pod of(List<ObjectNode> objects) {
      List<ObjectNode> deployments =
          objects.stream().filter(o -> o.path("kind").stringValue().equals("Deployment")).toList();
      assertThat(deployments).hasSize(1);
      JsonNode d = deployments.get(0);
      JsonNode spec = d.path("spec").path("template").path("spec");
      JsonNode container = spec.path("containers").path(0);
      List<String> args = new ArrayList<>();
      container.path("args").forEach(a -> args.add(a.stringValue()));
      return new Pod(
          d.path("metadata").path("namespace").stringValue(),
          spec.path("serviceAccountName").stringValue(),
          args);
    }

    /** The value of {@code --flag=VALUE} in the arguments, or {@code otherwise}. */
    String flag(String flag, String otherwise) {
      return args.stream()
          .filter(a -> a.startsWith(flag + "="))
          .map(a -> a.substring(flag.length() + 1))
          .findFirst()
          .orElse(otherwise);
    }
  }

  /** One run of {@code spinclean watch}: exit code, output, requests, and the server after it. */
  record Run(
      int exitCode,
      String out,
      String err,
      List<Call> calls,
      List<String> replicaSets,
      List<String> eventReasons,
      List<String> leases) {
    Set<Permission> used() {
      return calls.stream()
          .filter(Call::allowed)
          .map(c -> c.access().permission())
          .collect(Collectors.toCollection(TreeSet::new));
    }

    List<Call> denied() {
      return calls.stream().filter(c -> !c.allowed()).toList();
    }

    /** The requests for a resource, e.g. {@code coordination.k8s.io leases}, as "verb ns". */
    Set<String> on(String group, String resource) {
      return calls.stream()
          .filter(c -> c.access().group().equals(group) && c.access().resource().equals(resource))
          .map(c -> c.access().verb() + " " + c.access().namespace())
          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The status answered to each watch of a resource (101: upgraded to a WebSocket). */
    Set<Integer> watchStatuses(String group, String resource) {
      return calls.stream()
          .filter(c -> c.access().permission().equals(new Permission("watch", group, resource)))
          .map(Call::status)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void theControllerRbacAllowsEveryRequestOfWatchEnforcedOrDryRunAndNothingElse() throws Exception {
    List<ObjectNode> objects = Kustomize.render(CONTROLLER);
    Pod pod = Pod.of(objects);
    Rbac rbac = new Rbac(objects, pod.namespace(), pod.serviceAccount());
    String leaseNs = pod.flag("--lease-namespace", pod.namespace());
    assertThat(pod.args())
        .startsWith("watch")
        .contains("--all-namespaces", "--leader-elect", "--dry-run");

    // Both at once, each on its own server: a run is a few seconds of wall clock.
    CompletableFuture<Run> dryRun = CompletableFuture.supplyAsync(() -> run(rbac, pod, true));
    Run enforce = run(rbac, pod, false);
    Run dry = dryRun.join();

    for (Run r : List.of(enforce, dry)) {
      assertThat(r.denied()).as(r.out()).isEmpty();
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
      // One informer per kind, cluster-wide: a list, then a watch upgraded to a WebSocket.
      for (Permission p :
          List.of(
              new Permission("watch", "apps", "replicasets"),
              new Permission("watch", "", "pods"),
              new Permission("watch", "", "services"))) {
        assertThat(r.on(p.group(), p.resource()))
            .as(p.toString())
            .contains("list null", "watch null");
        assertThat(r.watchStatuses(p.group(), p.resource())).as(p.toString()).containsOnly(101);
      }
      // The Lease in the pod's namespace: read, created (it was missing), renewed and released
      // with a patch; never an update (PUT).
      assertThat(r.on("coordination.k8s.io", "leases"))
          .containsExactly("create " + leaseNs, "get " + leaseNs, "patch " + leaseNs);
      assertThat(r.leases()).containsExactly(leaseNs + "/" + pod.flag("--lease-name", "spinclean"));
      // Events: one create each, never a patch (no aggregation).
      assertThat(r.on("", "events")).containsExactly("create example");
    }

    Set<String> kept = new TreeSet<>(dry.replicaSets());
    assertThat(kept.removeAll(DELETED)).isTrue();
    assertThat(enforce.replicaSets()).containsExactlyInAnyOrderElementsOf(kept);
    assertThat(enforce.eventReasons()).hasSize(DELETED.size()).containsOnly("Deleted");
    assertThat(enforce.used()).isEqualTo(rbac.permissions());

    assertThat(dry.replicaSets()).containsAll(DELETED);
    assertThat(dry.eventReasons()).hasSize(DELETED.size()).containsOnly("WouldDelete");
    assertThat(dry.used())
        .isEqualTo(
            rbac.permissions().stream()
                .filter(p -> !p.equals(new Permission("delete", "apps", "replicasets")))
                .collect(Collectors.toSet()));
  }

  /**
   * The Lease Role names its Lease: get and patch (renewals, the hourly count) only on it. A create
   * names no object in its URL, so RBAC cannot restrict it by name: it stays, in the controller's
   * namespace only.
   */
  @Test
  void theLeaseRoleReachesOnlyItsOwnLease() throws Exception {
    List<ObjectNode> objects = Kustomize.render(CONTROLLER);
    Pod pod = Pod.of(objects);
    Rbac rbac = new Rbac(objects, pod.namespace(), pod.serviceAccount());
    String lease = pod.flag("--lease-name", "spinclean");
    for (String verb : List.of("get", "patch")) {
      assertThat(rbac.names(new Permission(verb, "coordination.k8s.io", "leases")))
          .as(verb)
          .containsExactly(Set.of(lease));
    }
    assertThat(rbac.names(new Permission("create", "coordination.k8s.io", "leases")))
        .containsExactly(Set.of());

    // Another Lease in the same namespace (someone else's leader election) is out of reach.
    List<String> args = new ArrayList<>(pod.args());
    args.add("--lease-name=someone-elses");
    Run run = run(rbac, new Pod(pod.namespace(), pod.serviceAccount(), args), false);

    assertThat(run.denied())
        .extracting(c -> c.access().toString())
        .contains("get coordination.k8s.io/leases in " + pod.namespace())
        .allMatch(a -> a.contains("coordination.k8s.io/leases"));
    assertThat(run.used()).doesNotContain(new Permission("delete", "apps", "replicasets"));
    assertThat(run.replicaSets()).containsAll(DELETED);
  }

  /** The proxy authorizes a watch as verb watch: without it the controller stops at once. */
  @Test
  void withoutWatchTheControllerStopsAtOnceAndDeletesNothing() throws Exception {
    List<ObjectNode> objects = Kustomize.render(CONTROLLER);
    for (ObjectNode o : objects) {
      for (JsonNode rule : o.path("rules")) {
        ArrayNode verbs = (ArrayNode) rule.get("verbs");
        for (int i = verbs.size() - 1; i >= 0; i--) {
          if (verbs.get(i).stringValue().equals("watch")) {
            verbs.remove(i);
          }
        }
      }
    }
    Pod pod = Pod.of(objects);
    Rbac rbac = new Rbac(objects, pod.namespace(), pod.serviceAccount());

    Run run = run(rbac, pod, false);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("spinclean: ")
        .contains("forbidden")
        .doesNotContain("\n");
    assertThat(run.denied())
        .extracting(c -> c.access().toString())
        .containsExactly("watch apps/replicasets (cluster-wide)");
    assertThat(run.used()).doesNotContain(new Permission("delete", "apps", "replicasets"));
    assertThat(run.replicaSets()).containsAll(DELETED);
  }

  /**
   * Runs the Deployment's {@code spinclean watch} for a few seconds on the article's scenarios, as
   * shipped (dry run) or enforcing as docs/controller.md says (the "--dry-run" line deleted).
   */
  private Run run(Rbac rbac, Pod pod, boolean dryRun) {
    // Shortened so that the article's clusters are cleaned within seconds: --settle, and
    // --min-age (the embedded server stamps every object with the time it was loaded).
    List<String> args =
        pod.args().stream()
            .map(a -> a.startsWith("--settle=") ? "--settle=500ms" : a)
            .map(a -> a.startsWith("--min-age=") ? "--min-age=0s" : a)
            .filter(a -> dryRun || !a.equals("--dry-run"))
            .toList();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        RbacProxy proxy = new RbacProxy(api.url(), rbac)) {
      try (InputStream scenarios = Files.newInputStream(Path.of("examples", "article.json"))) {
        api.load(scenarios, "examples/article.json");
      }
      // Inside the pod the default namespace (the Lease's) is the pod's own.
      Path kubeconfig =
          proxy.writeKubeconfig(Files.createTempFile(tmp, "kubeconfig", ""), pod.namespace());
      List<String> command = new ArrayList<>(args);
      command.addAll(
          List.of("--kubeconfig", kubeconfig.toString(), "--metrics-port=0", "--exit-after=4s"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Spinclean.run(
              command.toArray(String[]::new),
              print(out),
              print(err),
              new ByteArrayInputStream(new byte[0]),
              Clock.systemUTC(),
              Map.of());
      return new Run(
          code,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          proxy.calls(),
          items(api, "/apis/apps/v1/replicasets").map(i -> name(i, false)).toList(),
          items(api, "/api/v1/events").map(i -> i.path("reason").stringValue()).toList(),
          items(api, "/apis/coordination.k8s.io/v1/leases").map(i -> name(i, true)).toList());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The items of a list, read from the server directly (not through the proxy). */
  private static Stream<JsonNode> items(EmbeddedApiServer api, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    JsonNode items = JsonMapper.builder().build().readTree(response.body()).path("items");
    return StreamSupport.stream(items.spliterator(), false);
  }

  private static String name(JsonNode object, boolean withNamespace) {
    JsonNode meta = object.path("metadata");
    return (withNamespace ? meta.path("namespace").stringValue() + "/" : "")
        + meta.path("name").stringValue();
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
