package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import io.spinclean.deploy.Rbac.Permission;
import io.spinclean.deploy.RbacProxy.Call;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test-only: runs deploy/controller's {@code spinclean watch} in-process for a few seconds, on the
 * article's scenarios in an embedded API server, through {@link RbacProxy} with the Roles a
 * kustomization renders for the Deployment's ServiceAccount.
 */
final class ControllerRun {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private ControllerRun() {}

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

    /** The same pod with other arguments. */
    Pod with(List<String> other) {
      return new Pod(namespace, serviceAccount, other);
    }
  }

  /** One run of {@code spinclean watch}: exit code, output, requests, and the server after it. */
  record Run(
      int exitCode,
      String out,
      String err,
      List<Call> calls,
      List<JsonNode> replicaSetItems,
      List<JsonNode> events,
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

    /** The names of the ReplicaSets left, in every namespace. */
    List<String> replicaSets() {
      return replicaSetItems.stream().map(i -> name(i, false)).toList();
    }

    /** The names of the ReplicaSets left in one namespace. */
    List<String> replicaSetsIn(String namespace) {
      return replicaSetItems.stream()
          .filter(i -> i.path("metadata").path("namespace").stringValue().equals(namespace))
          .map(i -> name(i, false))
          .toList();
    }

    List<String> eventReasons() {
      return events.stream().map(i -> i.path("reason").stringValue()).toList();
    }
  }

  /**
   * Runs {@code args} (the pod's, adjusted by the caller) for 4 s on the article's scenarios,
   * loaded once in each of {@code namespaces}, plus {@code extra} objects.
   */
  static Run run(Path tmp, Rbac rbac, Pod pod, List<String> namespaces, List<ObjectNode> extra) {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        RbacProxy proxy = new RbacProxy(api.url(), rbac)) {
      byte[] dump = JSON.writeValueAsBytes(article(namespaces, extra));
      api.load(new ByteArrayInputStream(dump), "examples/article.json");
      // Inside the pod the default namespace (the Lease's) is the pod's own.
      Path kubeconfig =
          proxy.writeKubeconfig(Files.createTempFile(tmp, "kubeconfig", ""), pod.namespace());
      List<String> command = new ArrayList<>(pod.args());
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
          items(api, "/apis/apps/v1/replicasets").toList(),
          items(api, "/api/v1/events").toList(),
          items(api, "/apis/coordination.k8s.io/v1/leases").map(i -> name(i, true)).toList());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** examples/article.json, its items copied into each namespace, plus {@code extra}. */
  static ObjectNode article(List<String> namespaces, List<ObjectNode> extra) throws Exception {
    ObjectNode article = (ObjectNode) JSON.readTree(Path.of("examples", "article.json").toFile());
    ArrayNode items = JSON.createArrayNode();
    for (String ns : namespaces) {
      for (JsonNode item : article.path("items")) {
        ObjectNode copy = (ObjectNode) item.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        if (!ns.equals(meta.path("namespace").stringValue())) {
          meta.put("namespace", ns);
          // uids are unique in a cluster
          meta.put("uid", ns + "-" + meta.path("uid").stringValue());
          for (JsonNode owner : meta.path("ownerReferences")) {
            ((ObjectNode) owner).put("uid", ns + "-" + owner.path("uid").stringValue());
          }
        }
        items.add(copy);
      }
    }
    extra.forEach(items::add);
    article.set("items", items);
    return article;
  }

  /** The article's item of that kind and name (namespace example), to copy from. */
  static ObjectNode item(String kind, String name) throws Exception {
    return StreamSupport.stream(
            article(List.of("example"), List.of()).path("items").spliterator(), false)
        .filter(
            i ->
                i.path("kind").stringValue().equals(kind)
                    && i.path("metadata").path("name").stringValue().equals(name))
        .map(i -> (ObjectNode) i)
        .findFirst()
        .orElseThrow();
  }

  /** The items of a list, read from the server directly (not through the proxy). */
  private static Stream<JsonNode> items(EmbeddedApiServer api, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    JsonNode items = JSON.readTree(response.body()).path("items");
    return StreamSupport.stream(items.spliterator(), false);
  }

  static String name(JsonNode object, boolean withNamespace) {
    JsonNode meta = object.path("metadata");
    return (withNamespace ? meta.path("namespace").stringValue() + "/" : "")
        + meta.path("name").stringValue();
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
