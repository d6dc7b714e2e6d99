package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** apply's --backup (issue 12) through the command line, on the embedded API server. */
class BackupCliTest {
  static final List<String> DELETED =
      List.of("stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");

  @RegisterExtension final ArticleServer article = new ArticleServer();
  @TempDir Path tmp;

  @Test
  void byDefaultOneBundleGoesToTheStateDirectory0600In0700AndTheSummaryNamesIt()
      throws IOException {
    Run run =
        Run.withEnv(
            Map.of("XDG_STATE_HOME", tmp.toString()),
            "apply",
            "--kubeconfig",
            article.kubeconfig());

    assertThat(run.exitCode()).as(run.err()).isZero();
    Path dir = tmp.resolve("spinclean/backups");
    List<Path> files = files(dir);
    assertThat(files).hasSize(1);
    Path bundle = files.get(0);
    assertThat(bundle.getFileName().toString())
        .matches("spinclean-20261126T060000Z-.*-example\\.yaml");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(names(Files.readString(bundle))).isEqualTo(DELETED);
    assertThat(Files.readString(bundle))
        .contains("#   command:    spinclean apply --kubeconfig", "#   namespaces: example");
    assertThat(run.out())
        .contains("backup: " + bundle + "\n")
        .contains("restore: kubectl create -f " + bundle + "\n");
    assertThat(article.replicaSets()).doesNotContainAnyElementsOf(DELETED);
  }

  @Test
  void withoutXdgStateHomeTheBundleGoesUnderHome() throws IOException {
    Run run =
        Run.withEnv(Map.of("HOME", tmp.toString()), "apply", "--kubeconfig", article.kubeconfig());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(files(tmp.resolve(".local/state/spinclean/backups"))).hasSize(1);
  }

  @Test
  void backupDirAndTheVariableChooseTheDirectory() throws IOException {
    Run flag =
        Run.of(
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "--application",
            "webapp",
            "--backup",
            tmp.resolve("flag").toString());
    Run variable =
        Run.withEnv(
            Map.of("SPINCLEAN_BACKUP", tmp.resolve("env").toString()),
            "apply",
            "--kubeconfig",
            article.kubeconfig());

    assertThat(flag.exitCode()).as(flag.err()).isZero();
    assertThat(variable.exitCode()).as(variable.err()).isZero();
    assertThat(names(Files.readString(files(tmp.resolve("flag")).get(0))))
        .containsExactly("webapp-v002");
    assertThat(names(Files.readString(files(tmp.resolve("env")).get(0))))
        .containsExactly("stream-consumer-v003", "workers-v005", "workers-v006");
  }

  @Test
  void backupDashWritesTheBundleToStderrBetweenMarkers() {
    Run run = Run.of("apply", "--kubeconfig", article.kubeconfig(), "--backup", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Matcher m =
        Pattern.compile(
                "(?s)----- BEGIN spinclean backup \\(kubectl create -f FILE\\) -----\n(.*?)"
                    + "----- END spinclean backup -----\n")
            .matcher(run.err());
    assertThat(m.find()).as(run.err()).isTrue();
    assertThat(names(m.group(1))).isEqualTo(DELETED);
    assertThat(run.out()).contains("backup: stderr, between the spinclean backup BEGIN and END");
  }

  @Test
  void backupOffSaysOnceThatTheDeletionsCannotBeUndone() {
    Run run =
        Run.withEnv(
            Map.of("XDG_STATE_HOME", tmp.toString()),
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "--backup",
            "off");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEqualTo("spinclean: --backup off: the deletions cannot be undone\n");
    assertThat(run.out()).contains("backup: off (--backup off): the deletions cannot be undone");
    assertThat(tmp.resolve("spinclean")).doesNotExist();
    assertThat(article.replicaSets()).doesNotContainAnyElementsOf(DELETED);
  }

  @Test
  void aDestinationThatCannotBeWrittenDeletesNothingAndExitsFour() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    Run run =
        Run.of(
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "--backup",
            file.resolve("backups").toString());

    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.out()).contains("not deleted: its backup could not be written");
    assertThat(article.replicaSets()).containsAll(DELETED);
  }

  @Test
  void jsonAndSpinnakerOutputsNameTheBundleAndTheRestoreCommand() throws IOException {
    Run json =
        Run.of(
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "--application",
            "webapp",
            "-o",
            "json",
            "--backup",
            tmp.resolve("json").toString());
    Run spinnaker =
        Run.of(
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "-o",
            "spinnaker",
            "--backup",
            tmp.resolve("spinnaker").toString());

    Path jsonBundle = files(tmp.resolve("json")).get(0);
    JsonNode doc = JsonMapper.builder().build().readTree(json.out());
    assertThat(doc.at("/backup/enabled").asBoolean()).isTrue();
    assertThat(doc.at("/backup/bundle").asString()).isEqualTo(jsonBundle.toString());
    assertThat(doc.at("/backup/restore").asString()).isEqualTo("kubectl create -f " + jsonBundle);
    Path spinnakerBundle = files(tmp.resolve("spinnaker")).get(0);
    assertThat(spinnaker.exitCode()).isZero();
    assertThat(spinnaker.out())
        .contains("\"spincleanBackup\":\"" + spinnakerBundle + "\"")
        .contains("restore: kubectl create -f " + spinnakerBundle);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }

  private static List<String> names(String bundle) {
    return Pattern.compile("(?m)^  name: \"?([a-z0-9-]+)\"?$")
        .matcher(bundle)
        .results()
        .map(r -> r.group(1))
        .toList();
  }
}
