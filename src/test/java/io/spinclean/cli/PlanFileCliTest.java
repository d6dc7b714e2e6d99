package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code spinclean plan -f}: the real file reader, planner and renderers, through picocli. */
class PlanFileCliTest {
  static final String ARTICLE = "examples/article.json";

  @TempDir Path tmp;

  @Test
  void articleTableIsTheGoldenPlan() throws IOException {
    Run run = Run.of("plan", "-f", ARTICLE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(golden("article-plan.txt", run.out()));
  }

  @Test
  void articleJsonKeepsAndDeletesTheRightVersions() {
    Run run = Run.of("plan", "-f", ARTICLE, "-o", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode doc = JsonMapper.builder().build().readTree(run.out());
    assertThat(doc.get("clusters")).hasSize(3);
    for (JsonNode c : doc.get("clusters")) {
      String keep = c.get("keep").asString();
      StringBuilder deleted = new StringBuilder();
      for (JsonNode v : c.get("versions")) {
        if (v.get("action").asString().equals("DELETE")) {
          deleted.append(v.get("name").asString()).append(' ');
        }
      }
      String app = c.get("application").asString();
      switch (app) {
        case "webapp" -> {
          assertThat(keep).isEqualTo("webapp-v001");
          assertThat(deleted.toString().trim()).isEqualTo("webapp-v002");
        }
        case "stream-consumer" -> {
          assertThat(keep).isEqualTo("stream-consumer-v004");
          assertThat(deleted.toString().trim()).isEqualTo("stream-consumer-v003");
        }
        case "workers" -> {
          assertThat(keep).isEqualTo("workers-v007");
          assertThat(deleted.toString().trim()).isEqualTo("workers-v005 workers-v006");
        }
        default -> throw new AssertionError("unexpected cluster " + app);
      }
    }
    assertThat(doc.at("/summary/actions/DELETE").asInt()).isEqualTo(4);
  }

  @Test
  void stdinIsReadWithDash() throws IOException {
    String dump = Files.readString(Path.of(ARTICLE));

    Run run = Run.withStdin(dump, "plan", "-f", "-", "--application", "webapp");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("example/webapp").doesNotContain("example/workers");
  }

  @Test
  void aRefusedClusterExitsThree() {
    Run run = Run.of("plan", "-f", ARTICLE, "--max-deletions", "3");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("MAX_DELETIONS_EXCEEDED");
  }

  @Test
  void selectionByClusterAndNamespace() {
    Run run = Run.of("plan", "-f", ARTICLE, "--cluster", "replicaSet workers", "-n", "example");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("example/workers").doesNotContain("example/webapp");
    assertThat(Run.of("plan", "-f", ARTICLE, "-n", "elsewhere").out())
        .contains("No Spinnaker clusters found");
  }

  @Test
  void notJsonOrYamlNamesTheFileAndExitsTwo() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"kind\": \"List\", \"items\": [", StandardCharsets.UTF_8);

    Run run = Run.of("plan", "-f", bad.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run.err());
    assertThat(run.err()).startsWith("spinclean: " + bad);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void objectWithoutNameIsRejected() throws IOException {
    Path bad = tmp.resolve("noname.yaml");
    Files.writeString(bad, "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  namespace: x\n");

    Run run = Run.of("plan", "-f", bad.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run.err());
    assertThat(run.err()).contains(bad.toString()).contains("metadata.name");
  }

  @Test
  void otherKindsAreIgnored() throws IOException {
    Path cm = tmp.resolve("cm.yaml");
    Files.writeString(cm, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

    Run run = Run.of("plan", "-f", cm.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("No Spinnaker clusters found");
  }

  @Test
  void missingFileExitsTwo() {
    Run run = Run.of("plan", "-f", tmp.resolve("absent.json").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run.err());
    assertThat(run.err()).contains("absent.json").contains("no such file");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plan --keep-previous -1 -f examples/article.json | --keep-previous must be 0 or more",
        "plan --max-deletions -2 -f examples/article.json | --max-deletions must be 0 or more",
        "plan --min-age soon -f examples/article.json | 'soon' is not a duration",
        "plan -o yaml -f examples/article.json | Invalid value for option '--output'",
        "plan --frobnicate | Unknown option: '--frobnicate'",
        "explode | Unmatched argument at index 0: 'explode'",
        "apply -f examples/article.json | apply acts on the live cluster only",
      })
  void usageErrorsExitTwoWithOneSentence(String args, String message) {
    Run run = Run.of(args.trim().split(" "));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = Run.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a command is required");
  }

  @Test
  void versionNamesTheBuild() {
    Run run = Run.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("spinclean ").contains("commit");
  }

  private static void assertOneLine(String err) {
    assertThat(err.strip()).doesNotContain("\n").doesNotContain("\tat ");
  }

  /** Compares with src/test/resources/cli/NAME; -Dgolden.update=true rewrites it. */
  static String golden(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/cli", name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
