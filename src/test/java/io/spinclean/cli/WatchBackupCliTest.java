package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** watch --backup (issue 12): one entry per deletion, written before its delete. */
class WatchBackupCliTest {
  @RegisterExtension final ArticleServer article = new ArticleServer();
  @TempDir Path tmp;

  private Run watch(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "watch",
                "--kubeconfig",
                article.kubeconfig(),
                "--settle",
                "500ms",
                "--metrics-port",
                "0",
                "--log-format",
                "json",
                "--exit-after",
                "4s",
                "--actions-per-second",
                "20"));
    args.addAll(List.of(more));
    return WatchCliTest.watch(args.toArray(String[]::new));
  }

  @Test
  void byDefaultEachDeletionsManifestIsLoggedBeforeItsOutcome() {
    Run run = watch();

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines =
        run.out().lines().map(l -> JsonMapper.builder().build().readTree(l)).toList();
    List<String> backedUp = new ArrayList<>();
    for (JsonNode line : lines) {
      if (line.has("manifest")) {
        String name = line.get("version").asString();
        assertThat(line.get("manifest").asString())
            .startsWith("---")
            .contains("kind: \"ReplicaSet\"", "name: \"" + name + "\"")
            .doesNotContain("uid:", "resourceVersion:");
        backedUp.add(name);
      } else if (line.has("outcome")) {
        assertThat(backedUp)
            .as("the manifest line comes before the outcome")
            .contains(line.get("version").asString());
      }
    }
    assertThat(backedUp)
        .containsExactlyInAnyOrder(
            "stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");
  }

  @Test
  void backupDirWritesEachDeletedVersionOnceIntoFiles() throws IOException {
    Run run = watch("--backup", tmp.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("\"manifest\"");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path file : files.toList()) {
        Pattern.compile("(?m)^  name: \"?([a-z0-9-]+)\"?$")
            .matcher(Files.readString(file))
            .results()
            .forEach(r -> names.add(r.group(1)));
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            "stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");
  }
}
