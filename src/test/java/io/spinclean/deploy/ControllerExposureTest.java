package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What deploy/controller exposes: the metrics port, to whom the optional NetworkPolicy lets
 * connect, and the webhook URL, which comes from a Secret and never from the manifest.
 */
class ControllerExposureTest {
  static final Path CONTROLLER = Kustomize.DEPLOY.resolve("controller");
  static final String COMMENTED = "\n# components:\n#   - networkpolicy\n";

  @TempDir Path tmp;

  /** deploy/controller with its two commented {@code components} lines switched on. */
  Path switchedOn() throws IOException {
    Path dir = tmp.resolve("controller");
    try (Stream<Path> files = Files.walk(CONTROLLER)) {
      for (Path f : files.toList()) {
        Path to = dir.resolve(CONTROLLER.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path k = dir.resolve("kustomization.yaml");
    String text = Files.readString(k);
    assertThat(text).endsWith(COMMENTED);
    Files.writeString(k, text.replace(COMMENTED, "\ncomponents:\n  - networkpolicy\n"));
    return dir;
  }

  static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").stringValue().equals(kind)).toList();
  }

  @Test
  void asShippedNoNetworkPolicy() {
    assertThat(ofKind(Kustomize.render(CONTROLLER), "NetworkPolicy")).isEmpty();
  }

  @Test
  void switchedOnOnlyPrometheusReachesTheControllersMetricsPort() throws IOException {
    List<ObjectNode> shipped = Kustomize.render(CONTROLLER);
    List<ObjectNode> objects = Kustomize.render(switchedOn());
    List<ObjectNode> policies = ofKind(objects, "NetworkPolicy");
    assertThat(policies).hasSize(1);
    List<ObjectNode> rest = new ArrayList<>(objects);
    rest.removeAll(policies);
    assertThat(rest).containsExactlyElementsOf(shipped);

    JsonNode deployment = ofKind(objects, "Deployment").get(0);
    JsonNode template = deployment.path("spec").path("template");
    JsonNode container = template.path("spec").path("containers").get(0);
    JsonNode policy = policies.get(0);
    JsonNode spec = policy.path("spec");
    assertThat(policy.path("metadata").path("namespace").stringValue())
        .isEqualTo(deployment.path("metadata").path("namespace").stringValue());
    // It selects the controller's pods: every label it asks for is on the pod template.
    JsonNode selected = spec.path("podSelector").path("matchLabels");
    assertThat(selected.size()).isPositive();
    selected
        .properties()
        .forEach(
            e ->
                assertThat(template.path("metadata").path("labels").path(e.getKey()))
                    .as(e.getKey())
                    .isEqualTo(e.getValue()));
    // Ingress only (egress to the API server and the webhook untouched), one rule: the port the
    // container serves /metrics on, from Prometheus' pods in Prometheus' namespace.
    assertThat(spec.path("policyTypes").toString()).isEqualTo("[\"Ingress\"]");
    assertThat(spec.path("ingress")).hasSize(1);
    JsonNode rule = spec.path("ingress").get(0);
    assertThat(rule.path("ports")).hasSize(1);
    String port = rule.path("ports").get(0).path("port").stringValue();
    JsonNode containerPort = container.path("ports").get(0);
    assertThat(container.path("ports")).hasSize(1);
    assertThat(port).isEqualTo(containerPort.path("name").stringValue());
    assertThat(containerPort.path("containerPort").asInt())
        .isEqualTo(9090)
        .isEqualTo(
            Integer.parseInt(
                template
                    .path("metadata")
                    .path("annotations")
                    .path("prometheus.io/port")
                    .stringValue()));
    assertThat(rule.path("from")).hasSize(1);
    JsonNode from = rule.path("from").get(0);
    assertThat(from.path("namespaceSelector").path("matchLabels").toString())
        .isEqualTo("{\"kubernetes.io/metadata.name\":\"monitoring\"}");
    assertThat(from.path("podSelector").path("matchLabels").toString())
        .isEqualTo("{\"app.kubernetes.io/name\":\"prometheus\"}");
    // The probes use the same named port: the node's traffic is always allowed.
    for (String probe : List.of("readinessProbe", "startupProbe", "livenessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("port").stringValue())
          .as(probe)
          .isEqualTo(port);
    }
  }

  @Test
  void kubectlRendersTheSameObjectsWithTheNetworkPolicy() throws Exception {
    Optional<Path> kubectl =
        Stream.of(String.valueOf(System.getenv("PATH")).split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, "kubectl"))
            .filter(Files::isExecutable)
            .findFirst();
    Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on PATH: not checked");
    Path dir = switchedOn();
    Process p =
        new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(yaml).isZero();
    List<JsonNode> rendered =
        Kustomize.YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
    assertThat(rendered).containsExactlyInAnyOrderElementsOf(Kustomize.render(dir));
  }

  @Test
  void theWebhookUrlComesFromAnOptionalSecretNeverFromTheManifest() {
    JsonNode container =
        ofKind(Kustomize.render(CONTROLLER), "Deployment")
            .get(0)
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    List<JsonNode> hook = new ArrayList<>();
    container
        .path("env")
        .forEach(
            e -> {
              if (e.path("name").stringValue().equals("SPINCLEAN_NOTIFY_WEBHOOK")) {
                hook.add(e);
              }
            });
    assertThat(hook).hasSize(1);
    assertThat(hook.get(0).has("value")).isFalse();
    JsonNode ref = hook.get(0).path("valueFrom").path("secretKeyRef");
    assertThat(ref.path("name").stringValue()).isEqualTo("spinclean-webhook");
    assertThat(ref.path("key").stringValue()).isEqualTo("url");
    // no Secret, no webhook: the pod still starts
    assertThat(ref.path("optional").asBoolean()).isTrue();
    container.path("args").forEach(a -> assertThat(a.stringValue()).doesNotContain("webhook"));
  }
}
