package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import io.spinclean.deploy.Rbac.Permission;
import io.spinclean.deploy.RbacProxy.Call;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shipped RBAC in deploy/ against what spinclean really does: the real CLI runs plan, apply and
 * apply --drain on the article's scenarios in an embedded API server, through a proxy that
 * authorizes every request with the rendered Roles exactly as Kubernetes would (403 otherwise).
 * Each variant must allow every request, and grant no permission the runs did not use.
 */
class RbacTest {
  static final String NS = "example";
  static final List<String> VARIANTS =
      List.of(
          "",
          "overlays/drain",
          "overlays/cluster-wide",
          "overlays/cluster-wide-drain",
          "controller",
          "controller-namespaced");

  /** Loaded once for the runs that only read; runs that write get their own copy. */
  private static EmbeddedApiServer shared;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws Exception {
    shared = loaded();
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  /** One run of the CLI behind the proxy: exit code, output and the requests it made. */
  record Run(int exitCode, String out, String err, List<Call> calls) {
    Set<Permission> used() {
      return calls.stream()
          .filter(Call::allowed)
          .map(c -> c.access().permission())
          .collect(Collectors.toCollection(TreeSet::new));
    }

    List<Call> denied() {
      return calls.stream().filter(c -> !c.allowed()).toList();
    }
  }

  @Test
  void theBaseRoleAllowsPlanAndApplyAndNothingElse() throws Exception {
    // kubectl apply -k deploy/ -n example: the Job runs as example/spinclean.
    Rbac rbac = new Rbac(Kustomize.install(Kustomize.DEPLOY, NS), NS, "spinclean");
    Run plan = run(rbac, "plan", "-n", NS);
    Run apply = runFresh(rbac, "apply", "-n", NS);
    // The same in a namespace with nothing else in it: spinclean asks for the Namespace to tell
    // "empty" from "missing"; the Role does not grant that, and 403 must read as "empty".
    Rbac quietRbac = new Rbac(Kustomize.install(Kustomize.DEPLOY, "quiet"), "quiet", "spinclean");
    Run quiet = run(quietRbac, "plan", "-n", "quiet");

    assertThat(plan.denied()).isEmpty();
    assertThat(plan.exitCode()).isIn(0, 3);
    assertThat(plan.used()).allMatch(p -> p.verb().equals("list"));
    assertThat(apply.denied()).isEmpty();
    assertThat(apply.exitCode()).as(apply.err()).isEqualTo(0);
    assertThat(apply.used()).contains(new Permission("delete", "apps", "replicasets"));
    assertThat(quiet.exitCode()).as(quiet.err()).isEqualTo(0);
    assertThat(quiet.denied())
        .extracting(c -> c.access().toString())
        .containsExactly("get core/namespaces in quiet");
    assertThat(quiet.out()).contains("No Spinnaker clusters found");

    assertThat(union(plan, apply)).isEqualTo(rbac.permissions());
    assertThat(quiet.used())
        .isEqualTo(
            quietRbac.permissions().stream()
                .filter(p -> p.verb().equals("list"))
                .collect(Collectors.toSet()));
  }

  @Test
  void theBaseRoleRefusesWhatItDoesNotGrant() throws Exception {
    Rbac rbac = new Rbac(Kustomize.install(Kustomize.DEPLOY, NS), NS, "spinclean");

    // A namespace it is not bound in: the first list is forbidden, a clear error, exit 1.
    Run typo = run(rbac, "plan", "-n", "exmaple");
    assertThat(typo.exitCode()).isEqualTo(1);
    assertThat(typo.err()).contains("forbidden");
    // --drain needs the drain overlay: the first patch is forbidden, nothing is deleted.
    Run drain = runFresh(rbac, "apply", "-n", NS, "--drain", "10s");
    assertThat(drain.exitCode()).isEqualTo(4);
    assertThat(drain.denied())
        .extracting(c -> c.access().toString())
        .containsExactly("patch apps/replicasets in example");
    assertThat(drain.used()).doesNotContain(new Permission("delete", "apps", "replicasets"));
  }

  @Test
  void theDrainOverlayAddsExactlyWhatDrainUses() throws Exception {
    Rbac rbac =
        new Rbac(
            Kustomize.install(Kustomize.DEPLOY.resolve("overlays/drain"), NS), NS, "spinclean");

    // apply plans first: its requests include plan's.
    Run drain = runFresh(rbac, "apply", "-n", NS, "--drain", "10s");

    assertThat(drain.denied()).isEmpty();
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(0);
    assertThat(drain.out()).contains("drained");
    assertThat(drain.used()).isEqualTo(rbac.permissions());
  }

  @Test
  void theClusterWideVariantsAllowAllNamespacesAndNothingElse() throws Exception {
    Rbac rbac =
        new Rbac(
            Kustomize.install(Kustomize.DEPLOY.resolve("overlays/cluster-wide"), "spinclean"),
            "spinclean",
            "spinclean");
    Rbac drainRbac =
        new Rbac(
            Kustomize.install(Kustomize.DEPLOY.resolve("overlays/cluster-wide-drain"), "spinclean"),
            "spinclean",
            "spinclean");

    Run plan = run(rbac, "plan", "-A");
    Run apply = runFresh(rbac, "apply", "-A");
    // With a ClusterRole a list in a missing namespace is allowed (and empty): the Namespace
    // itself tells the typo.
    Run typo = run(rbac, "plan", "-n", "exmaple");
    Run drain = runFresh(drainRbac, "apply", "-A", "--drain", "10s");

    for (Run r : List.of(plan, apply, typo, drain)) {
      assertThat(r.denied()).isEmpty();
    }
    assertThat(apply.exitCode()).as(apply.err()).isEqualTo(0);
    assertThat(typo.exitCode()).isEqualTo(1);
    assertThat(typo.err()).contains("namespace \"exmaple\" does not exist");
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(0);
    assertThat(union(plan, apply, typo)).isEqualTo(rbac.permissions());
    assertThat(union(plan, apply, typo, drain)).isEqualTo(drainRbac.permissions());
  }

  @Test
  void everyVariantBindsServiceAccountSpinclean() {
    for (String variant : VARIANTS) {
      List<ObjectNode> objects = Kustomize.render(Kustomize.DEPLOY.resolve(variant));
      assertThat(objects)
          .as(variant)
          .anyMatch(
              o ->
                  o.path("kind").stringValue().equals("ServiceAccount")
                      && o.path("metadata").path("name").stringValue().equals("spinclean"));
      assertThat(objects)
          .as(variant)
          .allMatch(
              o ->
                  o.path("metadata")
                      .path("labels")
                      .path("app.kubernetes.io/name")
                      .stringValue("")
                      .equals("spinclean"));
    }
  }

  /** What {@code kubectl kustomize} renders is what the tests above analysed. */
  @Test
  void kubectlRendersTheSameObjects() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    Assumptions.assumeTrue(
        kubectl.isPresent(), "kubectl is not on PATH: `kubectl kustomize deploy/` not checked");
    for (String variant : VARIANTS) {
      Path dir = Kustomize.DEPLOY.resolve(variant);
      Process p =
          new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
              .redirectErrorStream(true)
              .start();
      String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, yaml).isZero();
      List<JsonNode> rendered =
          Kustomize.YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
      assertThat(rendered)
          .as(dir.toString())
          .containsExactlyInAnyOrderElementsOf(Kustomize.render(dir));
    }
  }

  private static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    return path == null
        ? Optional.empty()
        : Stream.of(path.split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, command))
            .filter(Files::isExecutable)
            .findFirst();
  }

  private static Set<Permission> union(Run... runs) {
    return Stream.of(runs)
        .flatMap(r -> r.used().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Runs the CLI on a fresh copy of the article's scenarios (for runs that write). */
  private Run runFresh(Rbac rbac, String... args) throws Exception {
    try (EmbeddedApiServer api = loaded()) {
      return run(api, rbac, args);
    }
  }

  /** Runs the CLI on the shared copy of the scenarios (for runs that only read). */
  private Run run(Rbac rbac, String... args) throws Exception {
    return run(shared, rbac, args);
  }

  /** Runs the CLI in-process behind the RBAC proxy, with a kubeconfig that points at it. */
  private Run run(EmbeddedApiServer api, Rbac rbac, String... args) throws Exception {
    try (RbacProxy proxy = new RbacProxy(api.url(), rbac)) {
      Path kubeconfig = proxy.writeKubeconfig(Files.createTempFile(tmp, "kubeconfig", ""), NS);
      List<String> command = new ArrayList<>(List.of(args));
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Spinclean.run(
              command.toArray(String[]::new),
              print(out),
              print(err),
              new ByteArrayInputStream(new byte[0]),
              Clock.systemUTC());
      return new Run(
          code,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          proxy.calls());
    }
  }

  private static EmbeddedApiServer loaded() throws Exception {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    try (InputStream scenarios = Files.newInputStream(Path.of("examples", "article.json"))) {
      api.load(scenarios, "examples/article.json");
    } catch (Exception e) {
      api.close();
      throw e;
    }
    return api;
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
