package io.spinclean.kube.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.spinclean.cli.Spinclean;
import io.spinclean.kube.ArticleServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * watch's own --min-age default: a version newer than the keeper and younger than Spinnaker's "Wait
 * For Manifest Stable" timeout may still be deploying, and is kept unless told otherwise.
 */
class WatchMinAgeTest {
  @RegisterExtension final ArticleServer article = new ArticleServer();

  /** webapp-v003: newer than the serving webapp-v001, no pods, created 10 minutes ago. */
  @BeforeEach
  void aYoungCandidate() {
    ReplicaSet keeper =
        article
            .admin()
            .client()
            .apps()
            .replicaSets()
            .inNamespace("example")
            .withName("webapp-v001")
            .get();
    ReplicaSet young =
        new ReplicaSetBuilder(keeper)
            .editMetadata()
            .withName("webapp-v003")
            .withUid("uid-webapp-v003")
            .withResourceVersion(null)
            .withCreationTimestamp(
                Clock.systemUTC().instant().minus(Duration.ofMinutes(10)).toString())
            .addToAnnotations("moniker.spinnaker.io/sequence", "3")
            .endMetadata()
            .withStatus(null)
            .build();
    article.admin().client().apps().replicaSets().inNamespace("example").resource(young).create();
  }

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Spinclean.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]),
            Clock.systemUTC());
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Run watch(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "watch",
                "--kubeconfig",
                article.kubeconfig(),
                "--settle",
                "300ms",
                "--metrics-port",
                "0",
                "--exit-after",
                "3s",
                "--actions-per-second",
                "20"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void withoutTheFlagAVersionYoungerThanAnHourIsKept() {
    Run run = watch();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(article.exists("webapp-v003")).as(run.out()).isTrue();
    assertThat(article.exists("webapp-v002")).as(run.out()).isFalse();
    assertThat(article.replicaSets())
        .containsExactly("stream-consumer-v004", "webapp-v001", "webapp-v003", "workers-v007");
  }

  @Test
  void theFlagStillWins() {
    Run run = watch("--min-age", "5m");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(article.exists("webapp-v003")).as(run.out()).isFalse();
  }

  @Test
  void helpStatesTheDefaultAndWhy() {
    Run run = run("watch", "--help");
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains(
            "--min-age defaults to 1h here, not 0: longer than Spinnaker's \"Wait For Manifest"
                + " Stable\" (30 minutes by default)");
  }
}
