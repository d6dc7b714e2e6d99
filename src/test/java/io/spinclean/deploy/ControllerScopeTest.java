package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinclean.core.ApiException;
import io.spinclean.deploy.ControllerRun.Pod;
import io.spinclean.deploy.ControllerRun.Run;
import io.spinclean.deploy.Rbac.Access;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.kube.watch.EventRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the controller may write Events. An Event must be in its ReplicaSet's namespace, so the
 * shipped {@code watch -A} controller needs {@code create events} everywhere: it is its own
 * ClusterRole, bound on its own. deploy/controller-namespaced cleans named namespaces only, and is
 * granted everything by RoleBindings there: its ServiceAccount cannot create an Event anywhere
 * else.
 */
class ControllerScopeTest {
  static final Path CONTROLLER = Kustomize.DEPLOY.resolve("controller");
  static final Path NAMESPACED = Kustomize.DEPLOY.resolve("controller-namespaced");
  static final String PLACEHOLDER = "<EDIT>";

  @TempDir Path tmp;

  @Test
  void theClusterWideControllerGetsCreateEventsFromItsOwnClusterRole() {
    List<ObjectNode> objects = Kustomize.render(CONTROLLER);
    List<ObjectNode> roles = ofKind(objects, "ClusterRole");
    assertThat(roles)
        .extracting(r -> r.path("metadata").path("name").stringValue())
        .containsExactlyInAnyOrder("spinclean-watch", "spinclean-watch-events");
    for (ObjectNode role : roles) {
      boolean events = name(role).equals("spinclean-watch-events");
      assertThat(role.path("rules").toString().contains("\"events\""))
          .as(name(role))
          .isEqualTo(events);
    }
    JsonNode events = named(roles, "spinclean-watch-events");
    assertThat(events.path("rules").toString())
        .isEqualTo("[{\"apiGroups\":[\"\"],\"resources\":[\"events\"],\"verbs\":[\"create\"]}]");
    assertThat(ofKind(objects, "ClusterRoleBinding"))
        .extracting(b -> b.path("roleRef").path("name").stringValue())
        .containsExactlyInAnyOrder("spinclean-watch", "spinclean-watch-events");
  }

  /**
   * As shipped, the placeholder is the same in the Deployment's arguments and every RoleBinding.
   */
  @Test
  void theNamespacedVariantNamesOneNamespaceToEdit() throws IOException {
    List<ObjectNode> objects = Kustomize.render(NAMESPACED);
    Pod pod = Pod.of(objects);
    assertThat(pod.args())
        .contains("--namespace=" + PLACEHOLDER)
        .doesNotContain("--all-namespaces", "-A");
    assertThat(ofKind(objects, "ClusterRoleBinding")).isEmpty();
    List<ObjectNode> bindings = ofKind(objects, "RoleBinding");
    assertThat(bindings)
        .filteredOn(b -> b.path("roleRef").path("kind").stringValue().equals("ClusterRole"))
        .extracting(b -> b.path("metadata").path("namespace").stringValue())
        .hasSize(2)
        .containsOnly(PLACEHOLDER);
  }

  /**
   * The namespaced variant, installed for namespace example in a cluster where namespace other has
   * the same failed deploys: the controller cleans example and records its Events there, with every
   * request allowed and every permission used; other is untouched. Its ServiceAccount cannot create
   * an Event in other, which the cluster-wide variant's can.
   */
  @Test
  void theNamespacedControllerCleansItsNamespaceAndCannotCreateEventsElsewhere() throws Exception {
    List<ObjectNode> objects = Kustomize.render(edited("example"));
    Pod pod = Pod.of(objects);
    Rbac rbac = new Rbac(objects, pod.namespace(), pod.serviceAccount());
    assertThat(pod.args()).contains("--namespace=example");

    Run run =
        ControllerRun.run(
            tmp,
            rbac,
            pod.with(ControllerRbacTest.quick(pod.args(), false)),
            List.of("example", "other"),
            List.of());

    assertThat(run.denied()).as(run.out()).isEmpty();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.replicaSetsIn("example"))
        .doesNotContainAnyElementsOf(ControllerRbacTest.DELETED);
    assertThat(run.replicaSetsIn("other")).containsAll(ControllerRbacTest.DELETED).hasSize(7);
    assertThat(run.eventReasons())
        .hasSize(ControllerRbacTest.DELETED.size())
        .containsOnly("Deleted");
    for (JsonNode event : run.events()) {
      assertThat(event.path("metadata").path("namespace").stringValue()).isEqualTo("example");
      assertThat(event.path("involvedObject").path("namespace").stringValue()).isEqualTo("example");
    }
    assertThat(run.on("", "events")).containsExactly("create example");
    assertThat(run.used()).isEqualTo(rbac.permissions());

    assertThat(rbac.allows(new Access("create", "", "events", "example", null))).isTrue();
    assertThat(rbac.allows(new Access("create", "", "events", "other", null))).isFalse();
    assertThatThrownBy(() -> recordEvent(rbac, pod, "other"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("forbidden");

    // The cluster-wide variant: it must, and can, write Events in every namespace.
    List<ObjectNode> wide = Kustomize.render(CONTROLLER);
    Pod widePod = Pod.of(wide);
    Rbac wideRbac = new Rbac(wide, widePod.namespace(), widePod.serviceAccount());
    recordEvent(wideRbac, widePod, "other");
    assertThat(wideRbac.allows(new Access("create", "", "events", "other", null))).isTrue();
  }

  /**
   * The controller's own EventRecorder, as the pod's ServiceAccount, on a ReplicaSet in {@code ns}.
   */
  private void recordEvent(Rbac rbac, Pod pod, String ns) throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        RbacProxy proxy = new RbacProxy(api.url(), rbac)) {
      Path kubeconfig =
          proxy.writeKubeconfig(Files.createTempFile(tmp, "kubeconfig", ""), pod.namespace());
      try (KubeConnection conn = KubeConnection.open(kubeconfig.toString(), null)) {
        EventRecorder.create(conn, Clock.systemUTC())
            .record(ns, "webapp-v002", "", false, "Deleted", "spinclean deleted this version");
      }
    }
  }

  /** A copy of deploy/controller and deploy/controller-namespaced, {@code namespace} for EDIT. */
  private Path edited(String namespace) throws IOException {
    Path deploy = tmp.resolve("deploy");
    for (Path root : List.of(CONTROLLER, NAMESPACED)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.toList()) {
          Path to = deploy.resolve(Kustomize.DEPLOY.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.writeString(to, Files.readString(f).replace(PLACEHOLDER, namespace));
          }
        }
      }
    }
    return deploy.resolve(NAMESPACED.getFileName().toString());
  }

  private static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").stringValue().equals(kind)).toList();
  }

  private static JsonNode named(List<ObjectNode> objects, String name) {
    return objects.stream().filter(o -> name(o).equals(name)).findFirst().orElseThrow();
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").stringValue();
  }
}
