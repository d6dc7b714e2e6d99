package io.spinclean.kube.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

public class DumpReaderTest {
  static final String ARTICLE = "examples/article.json";
  public static final Path CLOUDDRIVER = Path.of("src/test/resources/kube/clouddriver");
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final InputStream NO_STDIN = InputStream.nullInputStream();

  @TempDir Path dir;

  private static Snapshot read(String... sources) throws InputException {
    return DumpReader.read(List.of(sources), NO_STDIN, NOW);
  }

  private static Snapshot readStdin(String text) throws InputException {
    return DumpReader.read(List.of("-"), stdin(text), NOW);
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private String file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  private static List<String> names(List<?> records) {
    List<String> names = new ArrayList<>();
    for (Object r : records) {
      names.add(
          r instanceof ReplicaSet rs
              ? rs.name()
              : r instanceof Pod p ? p.name() : ((Service) r).name());
    }
    return names;
  }

  // --- what kubectl prints ---

  @Test
  void articleDumpIsTheThreeScenarios() throws Exception {
    Snapshot s = read(ARTICLE);

    assertThat(s.takenAt()).isEqualTo(NOW);
    assertThat(s.replicaSets()).hasSize(7);
    assertThat(s.pods()).hasSize(15);
    assertThat(names(s.services())).containsExactly("webapp", "stream-consumer", "workers");
    assertThat(s.replicaSets()).allSatisfy(rs -> assertThat(rs.namespace()).isEqualTo("example"));
    assertThat(
            s.replicaSets().stream()
                .sorted(Comparator.comparing(ReplicaSet::createdAt))
                .map(ReplicaSet::name))
        .containsExactly(
            "workers-v005",
            "stream-consumer-v003",
            "workers-v006",
            "webapp-v001",
            "webapp-v002",
            "stream-consumer-v004",
            "workers-v007");
    ReplicaSet v002 = s.replicaSets().get(1);
    assertThat(v002.name()).isEqualTo("webapp-v002");
    assertThat(v002.uid()).isEqualTo("aa000002-0000-4000-8000-000000000005");
    assertThat(v002.createdAt()).isEqualTo(Instant.parse("2026-11-25T14:02:00Z"));
    assertThat(v002.annotations()).containsEntry("moniker.spinnaker.io/application", "webapp");
    Pod notReady =
        s.pods().stream().filter(p -> p.name().equals("webapp-v002-k2j8w")).findFirst().get();
    assertThat(notReady.ready()).isFalse();
    assertThat(notReady.controllerUid()).isEqualTo(v002.uid());
    assertThat(s.pods().stream().filter(Pod::ready)).hasSize(13);
  }

  @Test
  void clouddriverFixturesReadAsSpinnakerWroteThem() throws Exception {
    List<String> files = new ArrayList<>();
    try (var list = Files.list(CLOUDDRIVER)) {
      list.filter(p -> p.toString().endsWith(".yml"))
          .sorted()
          .forEach(p -> files.add(p.toString()));
    }

    Snapshot s = DumpReader.read(files, NO_STDIN, NOW);

    assertThat(names(s.replicaSets()))
        .containsExactly("backend-v014", "backend-v015", "frontend-5c6559f75f");
    ReplicaSet v014 = s.replicaSets().get(0);
    ReplicaSet v015 = s.replicaSets().get(1);
    ReplicaSet frontend = s.replicaSets().get(2);
    assertThat(v014.templateLabels()).doesNotContainKey("load-balancer");
    assertThat(v015.templateLabels()).containsEntry("load-balancer", "backend");
    assertThat(v015.annotations())
        .containsEntry("traffic.spinnaker.io/load-balancers", "[\"service backendlb\"]");
    assertThat(v014.controlled()).isFalse();
    assertThat(frontend.controlled()).as("owned by a Deployment").isTrue();
    assertThat(names(s.pods())).containsExactly("backend-v014-xkvwh", "backend-v015-vhglj");
    assertThat(s.pods()).allSatisfy(p -> assertThat(p.ready()).isTrue());
    assertThat(s.pods().get(1).controllerUid()).isEqualTo(v015.uid());
    assertThat(s.services())
        .containsExactly(
            new Service("backend-ns", "backendlb", Map.of("load-balancer", "backend")));
  }

  @Test
  void multiDocumentYamlOnStdinReadsLikeTheFiles() throws Exception {
    StringBuilder yaml = new StringBuilder();
    List<String> files = new ArrayList<>();
    try (var list = Files.list(CLOUDDRIVER)) {
      for (Path p : list.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        yaml.append("---\n").append(Files.readString(p));
        files.add(p.toString());
      }
    }
    yaml.append("---\n"); // a trailing separator: an empty document

    assertThat(readStdin(yaml.toString())).isEqualTo(DumpReader.read(files, NO_STDIN, NOW));
  }

  @Test
  void yamlListAsKubectlPrintsItReadsLikeJson() throws Exception {
    ObjectMapper json = JsonMapper.builder().build();
    String yaml = new YAMLMapper().writeValueAsString(json.readTree(Path.of(ARTICLE).toFile()));

    assertThat(readStdin(yaml)).isEqualTo(read(ARTICLE));
  }

  @Test
  void typedListItemsTakeTheListsKindEvenWhenTheKindComesLast() throws Exception {
    Snapshot s =
        readStdin(
            """
            {"apiVersion": "v1",
             "items": [{"metadata": {"name": "p1", "namespace": "x"}}],
             "kind": "PodList"}
            {"kind": "ServiceList", "apiVersion": "v1",
             "items": [{"metadata": {"name": "s1"}, "spec": {"selector": {"a": "b"}}}]}
            """);

    assertThat(names(s.pods())).containsExactly("p1");
    assertThat(s.services())
        .as("a missing namespace is kubectl's default")
        .containsExactly(new Service("default", "s1", Map.of("a", "b")));
  }

  @Test
  void otherKindsAreIgnoredEvenWithoutAName() throws Exception {
    Snapshot s =
        readStdin(
            """
            kind: Deployment
            apiVersion: apps/v1
            metadata: {}
            ---
            kind: Service
            apiVersion: serving.knative.dev/v1
            metadata: {name: knative-is-not-a-core-service}
            ---
            kind: ReplicaSet
            apiVersion: extensions/v1beta1
            metadata: {name: old-api-version}
            """);

    assertThat(s.services()).isEmpty();
    assertThat(names(s.replicaSets())).containsExactly("old-api-version");
  }

  @Test
  void anEmptyListIsAnEmptySnapshot() throws Exception {
    Snapshot s = readStdin("{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}");

    assertThat(s.replicaSets()).isEmpty();
    assertThat(s.pods()).isEmpty();
    assertThat(s.services()).isEmpty();
  }

  @Test
  void byteOrderMarkIsSkipped() throws Exception {
    byte[] body =
        "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);

    Snapshot s = DumpReader.read(List.of("-"), new ByteArrayInputStream(withBom), NOW);

    assertThat(names(s.pods())).containsExactly("p");
  }

  @Test
  void yamlLargerThanSnakeyamlsDefaultLimitIsRead() throws Exception {
    // snakeyaml refuses documents over 3 MiB unless told otherwise; kubectl's YAML is often larger
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
    int pods = 0;
    while (yaml.length() <= 3 * 1024 * 1024) {
      yaml.append("- kind: Pod\n  metadata:\n    name: pod-")
          .append(pods++)
          .append('\n')
          .append("    annotations: {filler: ")
          .append("x".repeat(4000))
          .append("}\n");
    }

    assertThat(readStdin(yaml.toString()).pods()).hasSize(pods);
  }

  @Test
  void theSameObjectTwiceIsReadOnce() throws Exception {
    Snapshot s = read(ARTICLE, ARTICLE);

    assertThat(s).isEqualTo(read(ARTICLE));
  }

  @Test
  void stdinIsNotClosed() throws Exception {
    boolean[] closed = {false};
    InputStream in =
        new ByteArrayInputStream(
            "kind: Pod\nmetadata: {name: p}\n".getBytes(StandardCharsets.UTF_8)) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };

    DumpReader.read(List.of("-"), in, NOW);

    assertThat(closed[0]).isFalse();
  }

  // --- every error, one sentence naming the source ---

  @Test
  void missingFile() {
    String missing = dir.resolve("x.json").toString();
    assertThatThrownBy(() -> read(missing))
        .isInstanceOf(InputException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void directory() {
    assertThatThrownBy(() -> read(dir.toString())).hasMessage(dir + ": is a directory");
  }

  @Test
  void brokenJson() throws Exception {
    String f = file("x.json", "{\"kind\": \"Pod\",\n  \"metadata\" {}}\n");
    assertThatThrownBy(() -> read(f))
        .hasMessage(
            f
                + ": not JSON or YAML (line 2, column 14: Unexpected character ('{' (code 123)):"
                + " was expecting a colon to separate property name and value)");
  }

  @Test
  void brokenYaml() throws Exception {
    String f = file("x.yaml", "kind: Pod\nmetadata: name: p\n");
    assertThatThrownBy(() -> read(f))
        .hasMessage(
            f + ": not JSON or YAML (line 2, column 15: mapping values are not allowed here)");
  }

  @Test
  void emptyInputHasNoObjects() throws Exception {
    for (String content : List.of("", "  \n", "# only a comment\n", "---\n---\n")) {
      String f = file("empty.yaml", content);
      assertThatThrownBy(() -> read(f))
          .as("%s", content)
          .hasMessage(f + ": no Kubernetes objects found");
    }
    assertThatThrownBy(() -> readStdin("")).hasMessage("stdin: no Kubernetes objects found");
  }

  @Test
  void documentWithoutKind() throws Exception {
    String f =
        file("x.yaml", "kind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nmetadata: {}\n");
    assertThatThrownBy(() -> read(f)).hasMessage(f + ": document 2 (line 4) has no kind");
  }

  @Test
  void itemWithoutKindInAPlainList() throws Exception {
    String f =
        file(
            "x.json",
            """
            {"kind": "List",
             "items": [
              {"kind": "Pod", "metadata": {"name": "p"}},
              {"metadata": {"name": "q"}}
             ]}
            """);
    assertThatThrownBy(() -> read(f)).hasMessage(f + ": item 2 (line 4) has no kind");
  }

  @Test
  void replicaSetWithoutName() throws Exception {
    String f =
        file(
            "x.json",
            """
            {"kind": "List", "items": [
              {"kind": "Pod", "metadata": {"name": "p1"}},
              {"kind": "Pod", "metadata": {"name": "p2"}},
              {"kind": "Service", "metadata": {"name": "s"}},
              {"kind": "ReplicaSet", "apiVersion": "apps/v1",
               "metadata": {"namespace": "x"}}
            ]}
            """);
    assertThatThrownBy(() -> read(f))
        .hasMessage(f + ": ReplicaSet at item 4 (line 5) has no metadata.name");
  }

  @Test
  void itemOfASecondDocumentSaysWhichDocument() throws Exception {
    String f =
        file(
            "x.yaml",
            "kind: List\nitems: []\n---\nkind: List\nitems:\n- kind: Pod\n  metadata: {}\n");
    assertThatThrownBy(() -> read(f))
        .hasMessage(f + ": Pod at item 1 of document 2 (line 6) has no metadata.name");
  }

  @Test
  void notAKubernetesObject() throws Exception {
    String text = file("notes.txt", "just some words\n");
    String array = file("array.json", "[{\"kind\": \"Pod\"}]");
    assertThatThrownBy(() -> read(text))
        .hasMessage(text + ": document 1 (line 1) is not a Kubernetes object");
    assertThatThrownBy(() -> read(array))
        .hasMessage(array + ": document 1 (line 1) is not a Kubernetes object");
  }

  @Test
  void itemsThatAreNotAList() throws Exception {
    String f = file("x.json", "{\"kind\": \"List\", \"items\": {\"a\": 1}}");
    assertThatThrownBy(() -> read(f)).hasMessage(f + ": document 1 (line 1): items is not a list");
  }

  @Test
  void fieldOfTheWrongType() throws Exception {
    String f =
        file(
            "x.yaml",
            "kind: ReplicaSet\napiVersion: apps/v1\nmetadata: {name: web-v001}\n"
                + "spec: {replicas: three}\n");
    assertThatThrownBy(() -> read(f))
        .hasMessageStartingWith(
            f
                + ": ReplicaSet web-v001 at document 1 (line 1) is not a valid ReplicaSet:"
                + " spec.replicas: Cannot deserialize value of type `java.lang.Integer` from String"
                + " \"three\"");
  }

  @Test
  void unreadableCreationTimestamp() throws Exception {
    String f =
        file(
            "x.yaml",
            "kind: ReplicaSet\nmetadata: {name: web-v001, creationTimestamp: yesterday}\n");
    assertThatThrownBy(() -> read(f))
        .hasMessage(
            f
                + ": ReplicaSet web-v001 at document 1 (line 1):"
                + " metadata.creationTimestamp is not an RFC 3339 time: \"yesterday\"");
  }

  @Test
  void negativeReplicas() throws Exception {
    String f = file("x.yaml", "kind: ReplicaSet\nmetadata: {name: a}\nspec: {replicas: -1}\n");
    assertThatThrownBy(() -> read(f))
        .hasMessage(f + ": ReplicaSet a at document 1 (line 1): spec.replicas is negative: -1");
  }

  @Test
  void stdinTwice() {
    assertThatThrownBy(() -> DumpReader.read(List.of("-", "-"), stdin("kind: List\n"), NOW))
        .hasMessage(
            "stdin: \"-\" is given more than once, but standard input can be read only once");
  }

  @Test
  void theSameObjectWithDifferentContents() throws Exception {
    String a = file("a.yaml", "kind: Pod\nmetadata: {name: p, namespace: example}\n");
    String b =
        file("b.yaml", "kind: Pod\nmetadata: {name: p, namespace: example, labels: {x: y}}\n");
    String twice =
        file("twice.yaml", Files.readString(Path.of(a)) + "---\n" + Files.readString(Path.of(b)));

    assertThatThrownBy(() -> read(a, b))
        .hasMessage(b + ": Pod example/p at document 1 (line 1) differs from the one in " + a);
    assertThatThrownBy(() -> read(twice))
        .hasMessage(
            twice + ": Pod example/p at document 2 (line 4) differs from the one before it");
  }
}
