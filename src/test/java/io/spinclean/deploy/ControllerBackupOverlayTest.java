package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * deploy/overlays/controller-backup (issue 12), rendered by kubectl's kustomize (the test renderer
 * {@link Kustomize} has no patches): the controller writes its backups to a PersistentVolumeClaim,
 * its root filesystem stays read-only.
 */
class ControllerBackupOverlayTest {
  @Test
  void theControllerBacksUpToAClaimedVolumeWithItsRootFilesystemReadOnly() throws Exception {
    Optional<Path> kubectl =
        Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, "kubectl"))
            .filter(Files::isExecutable)
            .findFirst();
    assumeTrue(kubectl.isPresent(), "kubectl is not on PATH");
    Process p =
        new ProcessBuilder(
                kubectl.get().toString(), "kustomize", "deploy/overlays/controller-backup")
            .redirectErrorStream(true)
            .start();
    String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(yaml).isZero();
    List<JsonNode> objects =
        Stream.of(yaml.split("(?m)^---$"))
            .filter(d -> !d.isBlank())
            .map(d -> Kustomize.YAML.readTree(d))
            .toList();

    JsonNode claim =
        objects.stream()
            .filter(o -> o.path("kind").stringValue("").equals("PersistentVolumeClaim"))
            .findFirst()
            .orElseThrow();
    assertThat(claim.at("/metadata/namespace").stringValue()).isEqualTo("spinclean");
    JsonNode deployment =
        objects.stream()
            .filter(o -> o.path("kind").stringValue("").equals("Deployment"))
            .findFirst()
            .orElseThrow();
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertThat(container.get("args").toString())
        .contains("\"--backup=/var/lib/spinclean/backups\"");
    assertThat(container.get("volumeMounts").toString())
        .contains("{\"mountPath\":\"/var/lib/spinclean/backups\",\"name\":\"backups\"}");
    assertThat(pod.get("volumes").toString())
        .contains("\"claimName\":\"" + claim.at("/metadata/name").stringValue() + "\"");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(deployment.at("/spec/strategy/type").stringValue()).isEqualTo("Recreate");
  }
}
