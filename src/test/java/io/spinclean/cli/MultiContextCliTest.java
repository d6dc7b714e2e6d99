package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * plan and apply over several contexts of one kubeconfig: two embedded API servers holding the
 * article's clusters (contexts a and b) and a context c whose server is a closed port.
 */
class MultiContextCliTest {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  @RegisterExtension final ArticleServer a = new ArticleServer();
  @RegisterExtension final ArticleServer b = new ArticleServer();
  @TempDir Path dir;

  /** A kubeconfig whose contexts are a, b and c in that order (c: nothing listens). */
  static String kubeconfig(Path dir, String urlA, String urlB) throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
    String[][] servers = {{"a", urlA}, {"b", urlB}, {"c", "http://127.0.0.1:" + closed}};
    for (String[] s : servers) {
      yaml.append("- name: ").append(s[0]).append("\n  cluster: {server: '").append(s[1]);
      yaml.append("'}\n");
    }
    yaml.append("contexts:\n");
    for (String[] s : servers) {
      yaml.append("- name: ").append(s[0]).append("\n  context: {cluster: ").append(s[0]);
      yaml.append(", user: u, namespace: example}\n");
    }
    yaml.append("current-context: a\nusers:\n- name: u\n  user: {token: t}\n");
    return Files.writeString(dir.resolve("config"), yaml).toString();
  }

  String kubeconfig() throws IOException {
    return kubeconfig(dir, a.server().url(), b.server().url());
  }

  static List<String> contextsOfClusters(JsonNode doc) {
    List<String> names = new ArrayList<>();
    doc.get("clusters").forEach(c -> names.add(c.get("context").asString()));
    return names;
  }

  @Test
  void planAllContextsListsBothLiveContextsAndReportsTheUnreachableOne() throws Exception {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig(), "--all-contexts", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode doc = MAPPER.readTree(run.out());
    assertThat(contextsOfClusters(doc)).containsExactly("a", "a", "a", "b", "b", "b");
    assertThat(doc.at("/summary/clusters").asInt()).isEqualTo(6);
    assertThat(doc.at("/summary/actions/DELETE").asInt()).isEqualTo(8);
    assertThat(doc.at("/contexts/0/name").asString()).isEqualTo("a");
    assertThat(doc.at("/contexts/0/status").asString()).isEqualTo("ok");
    assertThat(doc.at("/contexts/0/error").isNull()).isTrue();
    assertThat(doc.at("/contexts/1/status").asString()).isEqualTo("ok");
    assertThat(doc.at("/contexts/2/name").asString()).isEqualTo("c");
    assertThat(doc.at("/contexts/2/status").asString()).isEqualTo("error");
    assertThat(doc.at("/contexts/2/error").asString()).contains("127.0.0.1");
    assertThat(run.err()).startsWith("spinclean: context c: ").doesNotContain("\tat ");
  }

  @Test
  void aForbiddenContextIsOneSentenceAndTheOtherIsPlanned() throws Exception {
    a.mock()
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/example/replicasets?limit=500")
        .andReturn(
            403,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                + "\"message\":\"replicasets is forbidden\"}")
        .always();
    Run run = Run.of("plan", "--kubeconfig", kubeconfig(), "--context", "a,b", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode doc = MAPPER.readTree(run.out());
    assertThat(contextsOfClusters(doc)).containsExactly("b", "b", "b");
    assertThat(doc.at("/contexts/0/status").asString()).isEqualTo("error");
    assertThat(doc.at("/contexts/0/error").asString()).contains("403").doesNotContain("\n");
    assertThat(doc.at("/contexts/1/status").asString()).isEqualTo("ok");
  }

  @Test
  void planTableHeadsEachContextAndSumsUp() throws Exception {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig(), "--context", "a,c", "--context", "b");

    assertThat(run.exitCode()).isEqualTo(1);
    String out = run.out();
    assertThat(out.indexOf("== context a ==")).isZero();
    assertThat(out.indexOf("== context c ==")).isGreaterThan(out.indexOf("example/webapp"));
    assertThat(out.indexOf("== context b ==")).isGreaterThan(out.indexOf("== context c =="));
    assertThat(out)
        .contains("\nContexts:\n  a: 3 clusters: 3 cleanup, 0 clean, 0 refused, 0 skipped;")
        .contains("\n  c: error: ")
        .contains("\n  b: 3 clusters: 3 cleanup")
        .contains("\nTotal over 3 contexts (1 failed): 6 clusters: 6 cleanup, 0 clean,")
        .contains("8 to delete");
  }

  @Test
  void applyCleansBothContextsAndASecondPlanOfBothIsClean() throws Exception {
    String config = kubeconfig();
    Run apply = Run.of("apply", "--kubeconfig", config, "--context", "a,b");

    assertThat(apply.exitCode()).isZero();
    assertThat(apply.out())
        .contains("applying to " + a.server().url())
        .contains("applying to " + b.server().url())
        .contains("Total: 8 planned deletions: 8 deleted");
    assertThat(a.replicaSets()).doesNotContain("webapp-v002").contains("webapp-v001");
    assertThat(b.replicaSets()).isEqualTo(a.replicaSets());
    Run again = Run.of("plan", "--kubeconfig", config, "--context", "a,b", "-o", "json");
    assertThat(again.exitCode()).isZero();
    JsonNode doc = MAPPER.readTree(again.out());
    assertThat(doc.at("/summary/actions/DELETE").asInt()).isZero();
    assertThat(doc.at("/summary/verdicts/CLEAN").asInt()).isEqualTo(6);
  }

  /** Issue 12 over several contexts: each context writes its own bundle before its deletes. */
  @Test
  void eachContextBacksUpItsOwnDeletionsInABundleOfItsOwn() throws Exception {
    Path backups = dir.resolve("backups");
    Run apply =
        Run.of(
            "apply",
            "--kubeconfig",
            kubeconfig(),
            "--context",
            "a,b",
            "--backup",
            backups.toString());

    assertThat(apply.exitCode()).isZero();
    List<Path> bundles;
    try (var files = Files.list(backups)) {
      bundles = files.sorted().toList();
    }
    assertThat(bundles).hasSize(2);
    assertThat(bundles.get(0).getFileName().toString()).contains("-context_a-");
    assertThat(bundles.get(1).getFileName().toString()).contains("-context_b-");
    for (Path bundle : bundles) {
      String yaml = Files.readString(bundle);
      assertThat(yaml.split("\n---\n", -1)).hasSize(5); // the header, then 4 documents
      assertThat(yaml)
          .contains(
              "name: \"webapp-v002\"",
              "name: \"stream-consumer-v003\"",
              "name: \"workers-v005\"",
              "name: \"workers-v006\"");
      assertThat(apply.err()).contains("backup: " + bundle);
    }
  }

  /** On stderr the two contexts' bundles come one after the other, never interleaved. */
  @Test
  void bundlesOnStderrDoNotInterleave() throws Exception {
    Run apply = Run.of("apply", "--kubeconfig", kubeconfig(), "--context", "a,b", "--backup", "-");

    assertThat(apply.exitCode()).isZero();
    List<String> markers =
        apply
            .err()
            .lines()
            .filter(l -> l.startsWith("----- "))
            .map(l -> l.substring(6, 9))
            .toList();
    assertThat(markers).containsExactly("BEG", "END", "BEG", "END");
  }

  @Test
  void maxDeletionsCountsOverTheWholeRunAndRefusesEveryContext() throws Exception {
    // each context alone deletes 4, within the limit; together 8, more than 6
    Run apply =
        Run.of("apply", "--kubeconfig", kubeconfig(), "--context", "a,b", "--max-deletions", "6");

    assertThat(apply.exitCode()).isEqualTo(3);
    assertThat(apply.out()).contains("the run would delete 8 versions over 2 contexts");
    assertThat(a.replicaSets()).contains("webapp-v002");
    assertThat(b.replicaSets()).contains("webapp-v002");
  }

  @Test
  void oneFailingContextDoesNotStopTheApplyOfTheOthers() throws Exception {
    Run apply = Run.of("apply", "--kubeconfig", kubeconfig(), "--all-contexts", "-o", "json");

    assertThat(apply.exitCode()).isEqualTo(1);
    JsonNode doc = MAPPER.readTree(apply.out());
    assertThat(doc.get("kind").asString()).isEqualTo("ApplyReport");
    assertThat(doc.at("/summary/outcomes/DELETED").asInt()).isEqualTo(8);
    assertThat(doc.at("/outcomes/0/context").asString()).isEqualTo("a");
    assertThat(doc.at("/outcomes/7/context").asString()).isEqualTo("b");
    assertThat(doc.at("/contexts/2/status").asString()).isEqualTo("error");
    assertThat(a.replicaSets()).doesNotContain("webapp-v002");
    assertThat(b.replicaSets()).doesNotContain("webapp-v002");
  }

  @Test
  void variablesNameContextsAndAFlagBeatsTheRivalVariable() throws Exception {
    String config = kubeconfig();
    Run byVariable =
        Run.withEnv(
            java.util.Map.of("SPINCLEAN_CONTEXT", "a,b"),
            "plan",
            "--kubeconfig",
            config,
            "-o",
            "json");
    Run flagWins =
        Run.withEnv(
            java.util.Map.of("SPINCLEAN_ALL_CONTEXTS", "true"),
            "plan",
            "--kubeconfig",
            config,
            "--context",
            "b",
            "-o",
            "json");

    assertThat(byVariable.exitCode()).isZero();
    assertThat(contextsOfClusters(MAPPER.readTree(byVariable.out())))
        .containsExactly("a", "a", "a", "b", "b", "b");
    assertThat(flagWins.exitCode()).isZero();
    assertThat(flagWins.out()).doesNotContain("\"context\"").doesNotContain("\"contexts\"");
  }

  @Test
  void oneContextPrintsExactlyAsWithoutTheFlag() throws Exception {
    String config = kubeconfig();
    for (String format : List.of("table", "json", "spinnaker")) {
      Run plain = Run.of("plan", "--kubeconfig", config, "-o", format);
      Run named = Run.of("plan", "--kubeconfig", config, "--context", "a", "-o", format);
      Run twice = Run.of("plan", "--kubeconfig", config, "--context", "a,a", "-o", format);
      assertThat(named.out()).isEqualTo(plain.out());
      assertThat(twice.out()).isEqualTo(plain.out());
    }
  }

  /** The help text with its line wrapping undone. */
  static String help(String... args) {
    return Run.of(args).out().replaceAll("\\s+", " ");
  }

  @Test
  void helpShowsSeveralContextsAndWatchStaysOneContextPerProcess() {
    assertThat(help("plan", "--help"))
        .contains("spinclean plan --all-contexts")
        .contains("--max-deletions counts over the whole run");
    assertThat(help("apply", "--help"))
        .contains("spinclean apply --context prod-eu,prod-us")
        .contains("--max-deletions counts over the whole run");
    assertThat(help("watch", "--help")).contains("One context per process");
    assertThat(Run.of("watch", "--all-contexts").exitCode()).isEqualTo(2);
  }

  @Test
  void contextAndAllContextsTogetherAreAUsageError() throws Exception {
    Run run = Run.of("plan", "--kubeconfig", kubeconfig(), "--context", "a", "--all-contexts");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--context and --all-contexts exclude each other");
  }
}
