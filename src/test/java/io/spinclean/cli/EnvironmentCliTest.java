package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code SPINCLEAN_*} variables stand in for flags, and a flag on the command line always wins
 * (issue 10, item 3): over the same option, over a rival option (-n and -A), and over a variable
 * that could not even be parsed, such as the {@code SPINCLEAN_METRICS_PORT=tcp://...} Kubernetes
 * injects for a Service named {@code spinclean-metrics}.
 */
class EnvironmentCliTest {
  static final String ARTICLE = "examples/article.json";
  static final String SERVICE_LINK = "tcp://10.0.0.1:9090";

  @RegisterExtension final ArticleServer article = new ArticleServer();

  @Test
  void aNamespaceFlagBeatsAllNamespacesFromTheEnvironment() {
    Run run =
        Run.withEnv(
            Map.of("SPINCLEAN_ALL_NAMESPACES", "true"), "plan", "-f", ARTICLE, "-n", "nosuch");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("No Spinnaker clusters found").doesNotContain("example/webapp");
  }

  @Test
  void applyWithANamespaceFlagTouchesNoOtherNamespaceWhateverTheEnvironmentSays() {
    Run run =
        Run.withEnv(
            Map.of("SPINCLEAN_ALL_NAMESPACES", "true"),
            "apply",
            "--kubeconfig",
            article.kubeconfig(),
            "-n",
            "nosuch");

    assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
    assertThat(run.err()).contains("namespace \"nosuch\" does not exist");
    assertThat(article.replicaSets()).hasSize(7);
  }

  @Test
  void anAllNamespacesFlagBeatsANamespaceFromTheEnvironment() {
    Run run = Run.withEnv(Map.of("SPINCLEAN_NAMESPACE", "nosuch"), "plan", "-f", ARTICLE, "-A");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("example/webapp").doesNotContain("nosuch");
  }

  @ParameterizedTest
  @CsvSource({
    "SPINCLEAN_MIN_AGE, soon, --min-age, 0",
    "SPINCLEAN_KEEP_PREVIOUS, " + SERVICE_LINK + ", --keep-previous, 1",
    "SPINCLEAN_MAX_DELETIONS, -3, --max-deletions, 9",
  })
  void aFlagWinsOverAVariableThatIsNotValid(
      String variable, String value, String flag, String flagValue) {
    Run run = Run.withEnv(Map.of(variable, value), "plan", "-f", ARTICLE, flag, flagValue);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SPINCLEAN_KEEP_PREVIOUS|" + SERVICE_LINK + "|'" + SERVICE_LINK + "' is not an int",
        "SPINCLEAN_MIN_AGE|soon|'soon' is not a duration",
        "SPINCLEAN_KEEP_PREVIOUS|-1|--keep-previous must be 0 or more, not -1",
        "SPINCLEAN_APPLICATION|webapp,,workers|--application must not be empty",
      })
  void aVariableThatIsNotValidNamesItself(String variable, String value, String problem) {
    Run run = Run.withEnv(Map.of(variable, value), "plan", "-f", ARTICLE);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().findFirst().orElseThrow())
        .startsWith("spinclean: " + variable + "=" + value + ": ")
        .contains(problem);
  }

  @Test
  void aVariableThatMayHoldASecretIsNamedButNotEchoed() {
    String hook = "http://[hooks.slack.com/services/T000/B000/s3cr3t";
    Run run =
        Run.withEnv(
            Map.of("SPINCLEAN_NOTIFY_WEBHOOK", hook),
            "watch",
            "--kubeconfig",
            article.kubeconfig(),
            "--exit-after",
            "1s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("spinclean: SPINCLEAN_NOTIFY_WEBHOOK=(redacted): ");
    assertThat(run.err()).doesNotContain("s3cr3t");
  }

  @Test
  void anInjectedServiceLinkVariableStopsWatchWithASentenceThatNamesIt() {
    Run run =
        Run.withEnv(
            Map.of(
                "SPINCLEAN_METRICS_PORT",
                SERVICE_LINK,
                "SPINCLEAN_METRICS_SERVICE_HOST",
                "10.0.0.1",
                "SPINCLEAN_METRICS_PORT_9090_TCP",
                SERVICE_LINK),
            "watch",
            "--kubeconfig",
            article.kubeconfig(),
            "--exit-after",
            "1s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .isEqualTo(
            "spinclean: SPINCLEAN_METRICS_PORT="
                + SERVICE_LINK
                + ": '"
                + SERVICE_LINK
                + "' is not an int (for --metrics-port); Kubernetes sets variables like this for"
                + " a Service named spinclean-metrics unless the pod has enableServiceLinks:"
                + " false");
  }

  @Test
  void aMetricsPortFlagWinsOverAnInjectedServiceLinkVariable() {
    Run run =
        Run.withEnv(
            Map.of("SPINCLEAN_METRICS_PORT", SERVICE_LINK),
            "watch",
            "--kubeconfig",
            article.kubeconfig(),
            "--metrics-port",
            "0",
            "--dry-run",
            "--exit-after",
            "1s");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("watching namespace example");
  }

  @Test
  void demoPortFlagWinsOverAnInjectedServiceLinkVariable() {
    // A Service named "spinclean" gives every pod of its namespace SPINCLEAN_PORT=tcp://...
    Map<String, String> env = Map.of("SPINCLEAN_PORT", "tcp://10.0.0.2:8080");

    Run bare = Run.withEnv(env, "demo");
    Run flagged = Run.withEnv(env, "demo", "--port", "0");

    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).startsWith("spinclean: SPINCLEAN_PORT=tcp://10.0.0.2:8080: ");
    assertThat(flagged.exitCode()).as(flagged.err()).isZero();
    assertThat(flagged.out()).contains("4 deleted");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--application=",
        "--application webapp,,workers",
        "--cluster=",
        "-n=",
        "--namespace=",
        "-n example,,other",
      })
  void anExplicitlyEmptySelectionIsAUsageError(String flag) {
    List<String> args = new ArrayList<>(List.of("plan", "-f", ARTICLE));
    args.addAll(List.of(flag.split(" ", -1)));

    Run run = Run.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).containsPattern("^spinclean: (-n/)?--\\w+ must not be empty");
  }

  @Test
  void anEmptySelectionFlagIsAUsageErrorForApplyToo() {
    Run run = Run.of("apply", "--kubeconfig", article.kubeconfig(), "--application", "");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(article.replicaSets()).hasSize(7);
  }

  @Test
  void anEmptyVariableIsStillIgnored() {
    Run run =
        Run.withEnv(
            Map.of("SPINCLEAN_APPLICATION", "", "SPINCLEAN_CLUSTER", " "), "plan", "-f", ARTICLE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("example/webapp", "example/workers");
  }
}
