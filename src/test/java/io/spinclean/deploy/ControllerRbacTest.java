package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.deploy.ControllerRun.Pod;
import io.spinclean.deploy.ControllerRun.Run;
import io.spinclean.deploy.Rbac.Permission;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
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
    Run run = run(rbac, pod.with(args), false);

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
   * A version newer than the keeper, 45 minutes old, may still be in Spinnaker's "Wait For Manifest
   * Stable" (30 minutes by default, counted from later than the ReplicaSet's creation): the shipped
   * controller, enforcing, keeps it (watch's own --min-age default, 1h). A --min-age of 35m, as
   * deployment.yaml once passed, deletes it.
   */
  @Test
  void theShippedControllerKeepsACandidateSpinnakerMayStillWaitFor() throws Exception {
    List<ObjectNode> objects = Kustomize.render(CONTROLLER);
    Pod pod = Pod.of(objects);
    Rbac rbac = new Rbac(objects, pod.namespace(), pod.serviceAccount());
    ObjectNode young = ControllerRun.item("ReplicaSet", "webapp-v001");
    ObjectNode meta = (ObjectNode) young.get("metadata");
    meta.put("name", "webapp-v003")
        .put("uid", "uid-webapp-v003")
        .put("creationTimestamp", Instant.now().minus(Duration.ofMinutes(45)).toString());
    meta.remove("resourceVersion");
    ((ObjectNode) meta.get("annotations")).put("moniker.spinnaker.io/sequence", "3");
    young.remove("status");
    // Only --settle shortened, and enforcing: --min-age is the Deployment's.
    List<String> shipped =
        pod.args().stream()
            .map(a -> a.startsWith("--settle=") ? "--settle=500ms" : a)
            .filter(a -> !a.equals("--dry-run"))
            .toList();
    List<String> old = new ArrayList<>(shipped);
    old.add("--min-age=35m");

    CompletableFuture<Run> before =
        CompletableFuture.supplyAsync(
            () -> ControllerRun.run(tmp, rbac, pod.with(old), List.of("example"), List.of(young)));
    Run run = ControllerRun.run(tmp, rbac, pod.with(shipped), List.of("example"), List.of(young));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.replicaSets())
        .as(run.out())
        .contains("webapp-v003")
        .doesNotContain("webapp-v002");
    assertThat(before.join().replicaSets()).doesNotContain("webapp-v003", "webapp-v002");
  }

  /**
   * Runs the Deployment's {@code spinclean watch} for a few seconds on the article's scenarios, as
   * shipped (dry run) or enforcing as docs/controller.md says (the "--dry-run" line deleted).
   */
  private Run run(Rbac rbac, Pod pod, boolean dryRun) {
    return ControllerRun.run(
        tmp, rbac, pod.with(quick(pod.args(), dryRun)), List.of("example"), List.of());
  }

  /**
   * The arguments shortened so that the article's clusters are cleaned within seconds: --settle,
   * and --min-age 0 (a test run must not depend on how old the article's dates are today).
   */
  static List<String> quick(List<String> args, boolean dryRun) {
    List<String> quick =
        new ArrayList<>(
            args.stream()
                .map(a -> a.startsWith("--settle=") ? "--settle=500ms" : a)
                .filter(a -> !a.startsWith("--min-age="))
                .filter(a -> dryRun || !a.equals("--dry-run"))
                .toList());
    quick.add("--min-age=0s");
    return quick;
  }
}
