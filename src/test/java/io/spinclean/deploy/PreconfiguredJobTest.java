package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.cli.Spinclean;
import io.spinclean.kube.ArticleServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * examples/spinnaker/orca-local.yml, orca's {@code job.preconfigured.kubernetes}: every parameter
 * lands somewhere in the Job manifest, and the manifest, with the parameters filled in the way orca
 * fills them (a value written at the mapping's path of the stage context), runs spinclean as the
 * pipeline author asked, against an API server.
 */
class PreconfiguredJobTest {
  static final Path FILE = Path.of("examples", "spinnaker", "orca-local.yml");

  /** orca's mapping syntax: dot-separated fields, a field may index a list, {@code env[0]}. */
  private static final Pattern STEP = Pattern.compile("(\\w+)(?:\\[(\\d+)])?");

  @RegisterExtension final ArticleServer article = new ArticleServer();

  @Test
  void theStageTypeHasWhatOrcaNeeds() {
    JsonNode job = job();

    assertThat(job.path("label").stringValue()).isEqualTo("Clean up failed blue/green");
    assertThat(job.path("type").stringValue()).matches("[a-z][A-Za-z]+");
    assertThat(job.path("description").stringValue()).isNotBlank();
    assertThat(job.path("cloudProvider").stringValue()).isEqualTo("kubernetes");
    assertThat(job.path("account").stringValue()).isNotBlank();
    assertThat(job.path("credentials").stringValue()).isEqualTo(job.path("account").stringValue());
    assertThat(job.path("waitForCompletion").asBoolean()).isTrue();
    // Outputs come from the log of the container propertyFile names (-o spinnaker's line).
    assertThat(container(job).path("name").stringValue())
        .isEqualTo(job.path("propertyFile").stringValue());
    assertThat(container(job).path("args").toString()).contains("\"-o\",\"spinnaker\"");
    assertThat(job.path("parameters"))
        .extracting(p -> p.path("name").stringValue())
        .containsExactly(
            "namespace",
            "application",
            "cluster",
            "keepPrevious",
            "minAge",
            "maxDeletions",
            "drain",
            "mode");
  }

  @Test
  void everyMappingIsAnExistingFieldOfTheManifestHoldingTheDefault() {
    JsonNode job = job();
    List<String> mappings = new ArrayList<>();
    for (JsonNode p : job.path("parameters")) {
      String mapping = p.path("mapping").stringValue();
      assertThat(p.path("label").stringValue()).as(mapping).isNotBlank();
      assertThat(p.path("description").stringValue()).as(mapping).isNotBlank();
      assertThat(mapping).startsWith("manifest.");
      JsonNode at = resolve(job, mapping);
      assertThat(at.isValueNode()).as("%s is a field of the manifest", mapping).isTrue();
      assertThat(at.asString()).as(mapping).isEqualTo(p.path("defaultValue").asString());
      mappings.add(mapping);
    }
    assertThat(mappings).doesNotHaveDuplicates();
  }

  @Test
  void eachOptionParameterFillsTheVariableOfItsFlag() {
    JsonNode job = job();
    JsonNode env = container(job).path("env");
    Pattern envValue =
        Pattern.compile(
            "manifest\\.spec\\.template\\.spec\\.containers\\[0]\\.env\\[(\\d+)]\\.value");
    int variables = 0;
    for (JsonNode p : job.path("parameters")) {
      Matcher m = envValue.matcher(p.path("mapping").stringValue());
      if (m.matches()) {
        String flag = p.path("name").stringValue().replaceAll("([A-Z])", "_$1");
        assertThat(env.get(Integer.parseInt(m.group(1))).path("name").stringValue())
            .isEqualTo("SPINCLEAN_" + flag.toUpperCase(Locale.ROOT));
        variables++;
      }
    }
    assertThat(variables).isEqualTo(5);
  }

  @Test
  void theJobRunsAsTheShippedServiceAccountInTheNamespaceItCleans() {
    JsonNode job = job();
    JsonNode pod = job.path("manifest").path("spec").path("template").path("spec");
    JsonNode sa =
        Kustomize.render(Kustomize.DEPLOY).stream()
            .filter(o -> o.path("kind").stringValue().equals("ServiceAccount"))
            .findFirst()
            .orElseThrow();

    assertThat(pod.path("serviceAccountName").stringValue())
        .isEqualTo(sa.path("metadata").path("name").stringValue());
    assertThat(pod.path("enableServiceLinks").asBoolean(true)).isFalse();
    // The namespace parameter is where the Job runs; the base Role is namespaced, so spinclean
    // cleans that same namespace (downward API), never another.
    assertThat(parameter(job, "namespace").path("mapping").stringValue())
        .isEqualTo("manifest.metadata.namespace");
    assertThat(container(job).path("env").get(0).toString())
        .isEqualTo(
            "{\"name\":\"SPINCLEAN_NAMESPACE\",\"valueFrom\":{\"fieldRef\":"
                + "{\"fieldPath\":\"metadata.namespace\"}}}");
    // No command: the image's entrypoint (docker/spinclean) runs the args.
    assertThat(container(job).has("command")).isFalse();
  }

  @Test
  void modePlanTheDefaultDeletesNothing() {
    Map<String, String> values =
        Map.of("namespace", ArticleServer.NAMESPACE, "application", "webapp");
    Cli run = runJob(filled(values));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("1 to delete").contains("SPINNAKER_CONFIG_JSON=");
    assertThat(article.replicaSets()).contains("webapp-v002", "workers-v005");
  }

  @Test
  void modeApplyDeletesWhatTheParametersSelectAndMaxDeletionsRefusesMore() {
    Cli webapp =
        runJob(
            filled(
                Map.of(
                    "namespace", ArticleServer.NAMESPACE,
                    "application", "webapp",
                    "mode", "apply")));
    Cli capped =
        runJob(
            filled(
                Map.of(
                    "namespace", ArticleServer.NAMESPACE,
                    "cluster", "replicaSet workers",
                    "maxDeletions", "1",
                    "mode", "apply")));

    assertThat(webapp.exitCode()).as(webapp.err()).isZero();
    assertThat(article.replicaSets())
        .doesNotContain("webapp-v002")
        .contains("workers-v005", "workers-v006", "stream-consumer-v003");
    assertThat(capped.exitCode()).as(capped.out()).isEqualTo(3); // refused: 2 > --max-deletions 1
  }

  @Test
  void anEmptyMaxDeletionsIsAUsageErrorNotNoCap() {
    Cli run =
        runJob(
            filled(
                Map.of("namespace", ArticleServer.NAMESPACE, "maxDeletions", "", "mode", "apply")));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(article.replicaSets()).contains("webapp-v002");
  }

  /** The stage's context as orca makes it: the job, then each value written at its mapping. */
  private static JsonNode filled(Map<String, String> values) {
    ObjectNode job = (ObjectNode) job().deepCopy();
    for (JsonNode p : job.path("parameters")) {
      String name = p.path("name").stringValue();
      String value = values.getOrDefault(name, p.path("defaultValue").asString());
      set(job, p.path("mapping").stringValue(), value);
    }
    return job;
  }

  /**
   * Runs the filled manifest's container as the kubelet would: its args, its variables (the
   * downward API's namespace resolved), the pod's connection being this API server.
   */
  private Cli runJob(JsonNode job) {
    JsonNode container = container(job);
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container.path("env")) {
      String value =
          e.has("valueFrom")
              ? job.path("manifest").path("metadata").path("namespace").stringValue()
              : e.path("value").asString();
      env.put(e.path("name").stringValue(), value);
    }
    env.put("SPINCLEAN_KUBECONFIG", article.kubeconfig()); // the pod's service account here
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Spinclean.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]),
            Clock.systemUTC(),
            env);
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  record Cli(int exitCode, String out, String err) {}

  /** The node at an orca mapping path; fails if any step is missing. */
  static JsonNode resolve(JsonNode root, String mapping) {
    JsonNode at = root;
    for (String step : mapping.split("\\.", -1)) {
      Matcher m = STEP.matcher(step);
      assertThat(m.matches()).as("%s: step %s", mapping, step).isTrue();
      assertThat(at.has(m.group(1))).as("%s: no field %s", mapping, m.group(1)).isTrue();
      at = at.get(m.group(1));
      if (m.group(2) != null) {
        int i = Integer.parseInt(m.group(2));
        assertThat(at.isArray() && i < at.size()).as("%s: no %s", mapping, step).isTrue();
        at = at.get(i);
      }
    }
    return at;
  }

  private static void set(JsonNode root, String mapping, String value) {
    int dot = mapping.lastIndexOf('.');
    JsonNode parent = resolve(root, mapping.substring(0, dot));
    Matcher m = STEP.matcher(mapping.substring(dot + 1));
    assertThat(m.matches()).isTrue();
    if (m.group(2) == null) {
      ((ObjectNode) parent).set(m.group(1), StringNode.valueOf(value));
    } else {
      ((ArrayNode) parent.get(m.group(1)))
          .set(Integer.parseInt(m.group(2)), StringNode.valueOf(value));
    }
  }

  private static JsonNode parameter(JsonNode job, String name) {
    for (JsonNode p : job.path("parameters")) {
      if (p.path("name").stringValue().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no parameter " + name);
  }

  private static JsonNode container(JsonNode job) {
    return job.path("manifest")
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0);
  }

  static JsonNode job() {
    try {
      JsonNode all = Kustomize.YAML.readTree(Files.readString(FILE));
      JsonNode jobs = all.path("job").path("preconfigured").path("kubernetes");
      assertThat(jobs.size()).isEqualTo(1);
      return jobs.get(0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
