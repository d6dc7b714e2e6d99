package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code spinclean demo}: the README's main job, run in-process. */
class DemoCliTest {
  @Test
  void demoCleansTheArticlesThreeClusters() {
    Run run = Run.of("demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    String out = run.out();
    int apply = out.indexOf("== 2. spinclean apply");
    int after = out.indexOf("== 3. after");
    assertThat(apply).isPositive();
    assertThat(after).isGreaterThan(apply);
    assertThat(out.substring(0, apply))
        .contains("3 clusters: 3 cleanup")
        .containsPattern("webapp-v002 .*DELETE +FAILED_CANDIDATE")
        .containsPattern("stream-consumer-v003 .*DELETE +SUPERSEDED_SERVING")
        .containsPattern("workers-v006 .*DELETE +SUPERSEDED_SERVING +half-disabled");
    assertThat(out.substring(apply, after))
        .containsPattern(
            "applying to http://127\\.0\\.0\\.1:\\d+ as context spinclean-demo: 4 deletions in"
                + " namespace example\n\nOutcome")
        .contains(
            "example/webapp-v002",
            "example/stream-consumer-v003",
            "example/workers-v005",
            "example/workers-v006")
        .contains("4 deleted");
    assertThat(out.substring(after))
        .contains("3 clusters: 0 cleanup, 3 clean")
        .containsPattern("webapp-v001 .*KEEP")
        .containsPattern("stream-consumer-v004 .*KEEP")
        .containsPattern("workers-v007 .*KEEP")
        .doesNotContain("webapp-v002", "stream-consumer-v003", "workers-v005", "workers-v006");
  }
}
