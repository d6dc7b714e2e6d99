package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * examples/spinnaker/: what a user pastes into Spinnaker must fit the rest of the project — the
 * ServiceAccount and namespace of deploy/, the image's user, the CLI's commands and flags — and
 * follow Spinnaker's rules for Run Job output capture and optional stages
 * (docs/spinnaker-semantics.md#run-job-output).
 */
class ExamplesTest {
  static final Path DIR = Path.of("examples", "spinnaker");
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The environment-variable forms of the CLI's flags the job manifest uses. */
  static final Set<String> ENV =
      Set.of("SPINCLEAN_NAMESPACE", "SPINCLEAN_APPLICATION", "SPINCLEAN_CLUSTER");

  private static final Pattern PARAMETER = Pattern.compile("parameters\\.(\\w+)");

  @Test
  void theRunJobStageCapturesTheContainersLog() {
    JsonNode stage = read("run-job-stage.json");

    assertThat(stage.path("type").stringValue()).isEqualTo("runJobManifest");
    assertThat(stage.path("source").stringValue()).isEqualTo("text");
    // "Capture Output From: Logs" of the container named in propertyFile.
    assertThat(stage.path("consumeArtifactSource").stringValue()).isEqualTo("propertyFile");
    assertThat(containers(stage))
        .extracting(c -> c.path("name").stringValue())
        .containsExactly(stage.path("propertyFile").stringValue());
  }

  @Test
  void theJobRunsOnceAsTheShippedServiceAccountInTheNamespaceItCleans() throws IOException {
    JsonNode job = read("run-job-stage.json").path("manifest");
    JsonNode pod = job.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    JsonNode sa =
        Kustomize.render(Kustomize.DEPLOY).stream()
            .filter(o -> o.path("kind").stringValue().equals("ServiceAccount"))
            .findFirst()
            .orElseThrow();

    assertThat(job.path("apiVersion").stringValue()).isEqualTo("batch/v1");
    assertThat(job.path("kind").stringValue()).isEqualTo("Job");
    // One attempt: a second run would act on a plan nobody saw, and Spinnaker reads one log.
    assertThat(job.path("spec").path("backoffLimit").asInt(-1)).isZero();
    assertThat(pod.path("restartPolicy").stringValue()).isEqualTo("Never");
    assertThat(pod.path("serviceAccountName").stringValue())
        .isEqualTo(sa.path("metadata").path("name").stringValue());
    // The base Role is namespaced: the Job must run where it was installed, which it cleans.
    assertThat(job.path("metadata").path("namespace").stringValue())
        .isEqualTo(env(container, "SPINCLEAN_NAMESPACE"));
    // The image's user, and nothing written outside the emptyDir on /tmp.
    assertThat(Files.readString(Path.of("Dockerfile")))
        .contains("USER " + pod.path("securityContext").path("runAsUser").asInt() + ":");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    String tmpVolume =
        StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
            .filter(m -> m.path("mountPath").stringValue().equals("/tmp"))
            .map(m -> m.path("name").stringValue())
            .findFirst()
            .orElseThrow();
    assertThat(pod.path("volumes"))
        .anyMatch(v -> v.path("name").stringValue().equals(tmpVolume) && v.has("emptyDir"));
  }

  @Test
  void theJobsArgumentsAreCliCommandsAndFlags() {
    JsonNode container = containers(read("run-job-stage.json")).get(0);
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.stringValue()));
    List<String> env = new ArrayList<>();
    container.path("env").forEach(e -> env.add(e.path("name").stringValue()));

    assertThat(args.get(0)).isIn("plan", "apply");
    // Every flag is one the command documents in its --help.
    String help = cli(args.get(0), "--help").out();
    for (String arg : args) {
      if (arg.startsWith("-") && !arg.equals("-")) { // "-" is a value (--backup -)
        assertThat(help)
            .as("`%s --help` documents %s", args.get(0), arg)
            .containsPattern("(^|[ ,])" + Pattern.quote(arg) + "([ ,=]|$)");
      }
    }
    assertThat(env).containsExactlyInAnyOrderElementsOf(ENV);
  }

  @Test
  void theCliAcceptsTheJobsArguments() {
    List<String> args = new ArrayList<>();
    containers(read("run-job-stage.json"))
        .get(0)
        .path("args")
        .forEach(a -> args.add(a.stringValue()));
    args.add("--help");
    Cli cli = cli(args.toArray(String[]::new));
    assertThat(cli.exitCode()).as("the CLI accepts %s (%s)", args, cli.err().strip()).isZero();

    assertThat(cli.out()).contains("Usage:");
  }

  @Test
  void thePipelineRunsTheCleanupOnlyWhenTheDeployFailedThenFails() {
    JsonNode pipeline = read("pipeline-fragment.json");
    List<JsonNode> stages = new ArrayList<>();
    pipeline.path("stages").forEach(stages::add);
    JsonNode deploy = stages.get(0);
    JsonNode cleanup = stages.get(1);
    JsonNode fail = stages.get(2);
    String status = "#stage('" + deploy.path("name").stringValue() + "')['status'].toString()";

    assertThat(deploy.path("type").stringValue()).isEqualTo("deployManifest");
    assertThat(deploy.path("trafficManagement").path("options").path("strategy").stringValue())
        .isEqualTo("bluegreen");
    // "If stage fails: ignore the failure": the stage ends FAILED_CONTINUE, the next stages run.
    assertThat(deploy.path("continuePipeline").asBoolean()).isTrue();
    assertThat(deploy.path("failPipeline").asBoolean(true)).isFalse();
    // orca wraps these expressions in ${...} itself.
    assertThat(cleanup.path("stageEnabled").path("type").stringValue()).isEqualTo("expression");
    assertThat(cleanup.path("stageEnabled").path("expression").stringValue())
        .isEqualTo(status + " == 'FAILED_CONTINUE'");
    assertThat(fail.path("type").stringValue()).isEqualTo("checkPreconditions");
    JsonNode precondition = fail.path("preconditions").get(0);
    assertThat(precondition.path("failPipeline").asBoolean()).isTrue();
    assertThat(precondition.path("context").path("expression").stringValue())
        .isEqualTo(status + " != 'FAILED_CONTINUE'");
    assertThat(stages)
        .extracting(s -> s.path("requisiteStageRefIds").toString())
        .containsExactly("[]", "[\"1\"]", "[\"2\"]");
    assertThat(stages)
        .extracting(s -> s.path("refId").stringValue())
        .containsExactly("1", "2", "3");
  }

  @Test
  void thePipelinesCleanupStageIsTheRunJobStage() {
    ObjectNode cleanup =
        (ObjectNode) read("pipeline-fragment.json").path("stages").get(1).deepCopy();
    ObjectNode stage = (ObjectNode) read("run-job-stage.json").deepCopy();
    for (String placement : List.of("refId", "requisiteStageRefIds", "stageEnabled")) {
      cleanup.remove(placement);
      stage.remove(placement);
    }

    assertThat(cleanup).isEqualTo(stage);
  }

  @Test
  void everyParameterTheExamplesUseIsDeclared() throws IOException {
    JsonNode pipeline = read("pipeline-fragment.json");
    Set<String> declared = new HashSet<>();
    pipeline.path("parameterConfig").forEach(p -> declared.add(p.path("name").stringValue()));

    for (String file : List.of("run-job-stage.json", "pipeline-fragment.json")) {
      Matcher m = PARAMETER.matcher(Files.readString(DIR.resolve(file)));
      Set<String> used = new HashSet<>();
      while (m.find()) {
        used.add(m.group(1));
      }
      assertThat(used).as(file).isNotEmpty();
      assertThat(declared).as(file).containsAll(used);
    }
  }

  /**
   * A Service named e.g. {@code spinclean-metrics} makes Kubernetes give every pod of its namespace
   * {@code SPINCLEAN_METRICS_PORT=tcp://...}, which spinclean reads as {@code --metrics-port}: no
   * pod that runs spinclean, in any manifest of deploy/ or examples/, may take those variables.
   * (The other pod specs there are the user's application: a deploy stage's manifest, a cluster
   * dump.)
   */
  @Test
  void everyPodSpecShippedTurnsServiceLinksOff() throws IOException {
    List<String> podSpecs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("deploy", "examples")) {
      try (Stream<Path> walk = Files.walk(Path.of(dir))) {
        walk.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().forEach(files::add);
      }
    }
    for (Path file : files) {
      for (JsonNode doc : documents(file)) {
        podSpecs(doc, file.toString(), podSpecs);
      }
    }

    assertThat(podSpecs)
        .as("every pod spec in deploy/ and examples/")
        .contains(
            "deploy/controller/deployment.yaml",
            "examples/spinnaker/run-job-stage.json",
            "examples/spinnaker/pipeline-fragment.json")
        .allSatisfy(f -> assertThat(f).doesNotContain("enableServiceLinks"));
  }

  @Test
  void theJobCapsItsDeletions() {
    JsonNode container = containers(read("run-job-stage.json")).get(0);
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.stringValue()));

    int flag = args.indexOf("--max-deletions");
    assertThat(flag).as("args %s", args).isPositive();
    assertThat(Integer.parseInt(args.get(flag + 1))).isPositive();
  }

  /**
   * Adds {@code where} for each pod spec that runs spinclean's image, with a note if its service
   * links are not off.
   */
  private static void podSpecs(JsonNode node, String where, List<String> found) {
    if (node.isObject()
        && node.path("containers").isArray()
        && StreamSupport.stream(node.path("containers").spliterator(), false)
            .anyMatch(c -> c.path("image").asString("").contains("spinclean"))) {
      found.add(
          node.path("enableServiceLinks").isBoolean()
                  && !node.path("enableServiceLinks").asBoolean()
              ? where
              : where + " (enableServiceLinks is not false)");
    }
    if (node.isContainer()) {
      node.forEach(child -> podSpecs(child, where, found));
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    if (file.toString().endsWith(".json")) {
      return List.of(JSON.readTree(Files.readString(file)));
    }
    return Kustomize.YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
  }

  private static List<JsonNode> containers(JsonNode stage) {
    List<JsonNode> list = new ArrayList<>();
    stage
        .path("manifest")
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .forEach(list::add);
    return list;
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").stringValue().equals(name)) {
        return e.path("value").stringValue();
      }
    }
    throw new AssertionError("no env " + name);
  }

  private static JsonNode read(String file) {
    try {
      return JSON.readTree(Files.readString(DIR.resolve(file)));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  record Cli(int exitCode, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Spinclean.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]),
            Clock.systemUTC());
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
