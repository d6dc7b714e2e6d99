package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Environment-variable flags, -o spinnaker, completion and help: what issue 4 asks of the CLI. */
class CliConventionsTest {
  static final String ARTICLE = "examples/article.json";

  @Test
  void environmentVariablesStandInForFlags() {
    Run run =
        withEnv(
            Map.of(
                "SPINCLEAN_APPLICATION",
                "webapp",
                "SPINCLEAN_KEEP_PREVIOUS",
                "2",
                "SPINCLEAN_NAMESPACE",
                "example,other"),
            "plan",
            "-f",
            ARTICLE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("keep-previous 2")
        .contains("namespaces example, other")
        .contains("example/webapp")
        .doesNotContain("example/workers");
  }

  @Test
  void aFlagWinsOverTheEnvironmentAndAnEmptyVariableIsUnset() {
    Run run =
        withEnv(
            Map.of("SPINCLEAN_APPLICATION", "webapp", "SPINCLEAN_NAMESPACE", " "),
            "plan",
            "-f",
            ARTICLE,
            "--application",
            "workers");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("example/workers").doesNotContain("example/webapp");
  }

  @Test
  void aBadEnvironmentValueIsAUsageError() {
    Run run = withEnv(Map.of("SPINCLEAN_MIN_AGE", "soon"), "plan", "-f", ARTICLE);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'soon' is not a duration");
  }

  @Test
  void spinnakerOutputEndsWithOneConfigLine() {
    Run run = Run.of("plan", "-f", ARTICLE, "-o", "spinnaker");

    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("SPINNAKER_CONFIG_JSON={")
        .contains("\"spincleanDeletedCount\":4");
    assertThat(run.out().split("SPINNAKER_CONFIG_JSON=", -1)).hasSize(2);
  }

  @Test
  void spinnakerOutputReportsAnErrorAsAnOutputToo() {
    Run run = Run.of("plan", "-f", "absent.json", "-o", "spinnaker");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out())
        .startsWith("SPINNAKER_CONFIG_JSON={")
        .contains("\"spincleanVerdict\":\"ERROR\"")
        .contains("absent.json: no such file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-o spinnaker", "--output=spinnaker", "-ospinnaker", "-o=SPINNAKER"})
  void spinnakerOutputReportsAUsageErrorAsAnOutputToo(String output) {
    List<String> args = new java.util.ArrayList<>(List.of("apply", "--keep-previous", "many"));
    args.addAll(List.of(output.split(" ", -1)));
    Run run = Run.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out())
        .startsWith("SPINNAKER_CONFIG_JSON={")
        .contains("\"spincleanVerdict\":\"ERROR\"")
        .contains("--keep-previous")
        .contains("\"spincleanExitCode\":2");
    assertThat(run.err()).contains("See 'spinclean apply --help'.");
  }

  @Test
  void aUsageErrorWithoutSpinnakerOutputPrintsNothingOnStdout() {
    Run run = Run.of("apply", "--keep-previous", "many", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void completionScriptsNameEveryCommand(String shell) {
    Run run = Run.of("completion", shell);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("plan", "apply", "demo", "--keep-previous", "--drain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "apply", "demo", "completion"})
  void everyCommandHasHelpWithAnExample(String command) {
    Run run = Run.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: spinclean " + command).contains("Examples:");
  }

  private static Run withEnv(Map<String, String> env, String... args) {
    return Run.withEnv(env, args);
  }
}
