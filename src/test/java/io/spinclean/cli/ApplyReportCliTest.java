package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code apply} tells the user whatever happens (issue 10, items 7, 10 and 12): durations
 * beyond their bound are usage errors before anything is written; a failure after the plan was
 * printed still ends in the report and the Spinnaker outputs line; a {@code --wait} that times out
 * is not a success; and before the first write, where it writes.
 */
class ApplyReportCliTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension final ArticleServer article = new ArticleServer();
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apply --drain 1000000000000d",
        "apply --drain 2h",
        "apply --wait=2h",
        "apply --min-age 400d",
        "plan --min-age 1000000000000d",
        "watch --settle 2d",
      })
  void aDurationBeyondItsBoundIsAUsageErrorAndNothingIsWritten(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("--kubeconfig", article.kubeconfig()));
    if (args.get(0).equals("watch")) {
      args.addAll(List.of("--metrics-port", "0", "--dry-run", "--exit-after", "2s"));
    }
    String flag = args.get(1).replaceFirst("=.*", "");

    Run run = Run.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().findFirst().orElseThrow())
        .startsWith("spinclean: ")
        .contains(flag)
        .containsPattern("at most \\d+[hd]")
        .doesNotContain("internal error");
    assertThat(article.replicaSets()).hasSize(7);
  }

  @Test
  void theIssuesHugeDrainGivesTheSpinnakerErrorLineAndDeletesNothing() {
    Run run =
        Run.of(
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "--application",
            "workers",
            "--drain",
            "1000000000000d",
            "-o",
            "spinnaker");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out())
        .startsWith("SPINNAKER_CONFIG_JSON={")
        .contains("\"spincleanVerdict\":\"ERROR\"", "\"spincleanExitCode\":2", "--drain");
    assertThat(article.replicaSets()).contains("workers-v005", "workers-v006");
  }

  @ParameterizedTest
  @ValueSource(strings = {"apply", "plan", "watch"})
  void everyDurationFlagSaysItsBoundInHelp(String command) {
    Run run = Run.of(command, "--help");

    assertThat(run.out().replaceAll("\\s+", " "))
        .containsPattern("--min-age=DURATION .*at most 365d");
    if (command.equals("apply")) {
      assertThat(run.out().replaceAll("\\s+", " "))
          .containsPattern("--drain=DURATION .*at most 1h")
          .containsPattern("--wait\\[=TIMEOUT] .*at most 1h");
    }
    if (command.equals("watch")) {
      assertThat(run.out().replaceAll("\\s+", " "))
          .containsPattern("--settle=DURATION .*at most 1d");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"table", "spinnaker"})
  void aFailureAfterThePlanWasPrintedStillPrintsEveryDeletionAndTheOutputsLine(String format) {
    Run run =
        Run.withClock(failingFrom(2), "apply", "--kubeconfig", article.kubeconfig(), "-o", format);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.err()).startsWith("spinclean: internal error during apply: ");
    String out = run.out();
    assertThat(out.indexOf("webapp-v002")).as("the plan comes first").isPositive();
    String outcomes = out.substring(out.indexOf("Outcome"));
    assertThat(outcomes)
        .contains(
            "example/webapp-v002",
            "example/stream-consumer-v003",
            "example/workers-v005",
            "example/workers-v006")
        .contains("outcome unknown");
    if (format.equals("spinnaker")) {
      List<String> lines = out.lines().toList();
      assertThat(lines.get(lines.size() - 1))
          .startsWith("SPINNAKER_CONFIG_JSON={")
          .contains("\"spincleanVerdict\":\"FAILED\"", "\"spincleanExitCode\":4");
    }
  }

  @Test
  void aFailureAfterThePlanStillGivesOneJsonReport() {
    Run run =
        Run.withClock(failingFrom(2), "apply", "--kubeconfig", article.kubeconfig(), "-o", "json");

    assertThat(run.exitCode()).isEqualTo(4);
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.get("kind").asString()).isEqualTo("ApplyReport");
    assertThat(doc.get("outcomes")).hasSize(4);
    for (JsonNode o : doc.get("outcomes")) {
      assertThat(o.get("outcome").asString()).isEqualTo("FAILED");
    }
  }

  @Test
  void aWaitThatTimesOutExitsFive() throws Exception {
    try (EmbeddedApiServer server = serverWith(false)) {
      String kubeconfig = kubeconfig(server);

      Run run =
          Run.of(
              "apply",
              "--kubeconfig",
              kubeconfig,
              "--application",
              "webapp",
              "--wait=1s",
              "-o",
              "spinnaker");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(5);
      assertThat(run.out())
          .contains("still present after --wait 1s")
          .contains("\"spincleanExitCode\":5")
          .contains("\"spincleanRemaining\":[\"example/webapp-v002\"]");
    }
  }

  @Test
  void aRefusedClusterOutranksAWaitThatTimedOut() throws Exception {
    try (EmbeddedApiServer server = serverWith(true)) {
      Run run =
          Run.of(
              "apply",
              "--kubeconfig",
              kubeconfig(server),
              "--application",
              "webapp,stream-consumer",
              "--wait=1s");

      assertThat(run.out()).contains("REFUSED").contains("still present after --wait 1s");
      assertThat(run.exitCode()).isEqualTo(3);
    }
  }

  @Test
  void applySaysWhereItWritesBeforeTheFirstWrite() {
    Run run = Run.of("apply", "--kubeconfig", article.kubeconfig());
    Run again = Run.of("apply", "--kubeconfig", article.kubeconfig());

    String line =
        "applying to "
            + article.server().url()
            + " as context "
            + EmbeddedApiServer.CONTEXT
            + ": 4 deletions in namespace example";
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).containsSubsequence("webapp-v002", "\n\n" + line + "\n\n", "Outcome");
    assertThat(again.out()).doesNotContain("applying to");
  }

  @Test
  void applyJsonSaysWhereItWritesOnStderrAndKeepsOneDocument() {
    Run run = Run.of("apply", "--kubeconfig", article.kubeconfig(), "-o", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(JSON.readTree(run.out()).get("outcomes")).hasSize(4);
    assertThat(run.err())
        .isEqualTo(
            "spinclean: applying to "
                + article.server().url()
                + " as context "
                + EmbeddedApiServer.CONTEXT
                + ": 4 deletions in namespace example\n");
  }

  /** A clock whose n-th reading, and every later one, fails as a bug would. */
  private static Clock failingFrom(int n) {
    AtomicInteger readings = new AtomicInteger();
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        if (readings.incrementAndGet() >= n) {
          throw new IllegalStateException("the clock broke");
        }
        return Run.NOW;
      }
    };
  }

  /**
   * The article's clusters, with a finalizer that keeps webapp-v002 after its deletion (as a
   * controller's finalizer does) and, if asked, a malformed annotation that refuses
   * stream-consumer.
   */
  private static EmbeddedApiServer serverWith(boolean refuseStreamConsumer) throws Exception {
    ObjectNode dump = (ObjectNode) JSON.readTree(Files.readString(Path.of(ArticleServer.FILE)));
    for (JsonNode item : dump.get("items")) {
      ObjectNode meta = (ObjectNode) item.get("metadata");
      String name = meta.get("name").asString();
      if (!item.get("kind").asString().equals("ReplicaSet")) {
        continue;
      }
      if (name.equals("webapp-v002")) {
        ArrayNode finalizers = meta.putArray("finalizers");
        finalizers.add("example.com/hold");
      }
      if (refuseStreamConsumer && name.equals("stream-consumer-v004")) {
        ((ObjectNode) meta.get("annotations")).put("traffic.spinnaker.io/load-balancers", "[");
      }
    }
    EmbeddedApiServer server = EmbeddedApiServer.start();
    server.load(
        new ByteArrayInputStream(JSON.writeValueAsString(dump).getBytes(StandardCharsets.UTF_8)),
        "article-with-finalizer.json");
    return server;
  }

  private String kubeconfig(EmbeddedApiServer server) throws Exception {
    return server.writeKubeconfig(tmp.resolve("kubeconfig"), ArticleServer.NAMESPACE).toString();
  }
}
