package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.cluster;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.plan;
import static io.spinclean.core.Plans.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.ClusterBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The article's three failure scenarios, with the data of examples/article.json. */
class ArticleScenariosTest {
  /** Scenario 1: the deploy of v002 got stuck (pods never Ready); traffic is still on v001. */
  static ClusterBuilder webapp() {
    return cluster("webapp")
        .service("webapp")
        .with(
            rs("webapp-v001").created("2026-11-20T10:00:00Z").serving(2),
            rs("webapp-v002").created("2026-11-25T14:02:00Z").pods(2).notReady());
  }

  /** Scenario 2: the Enable of v004 worked, the Disable of v003 never ran: both serve. */
  static ClusterBuilder streamConsumer() {
    return cluster("stream-consumer")
        .service("stream-consumer")
        .with(
            rs("stream-consumer-v003").created("2026-11-18T08:30:00Z").serving(2),
            rs("stream-consumer-v004").created("2026-11-25T14:10:00Z").serving(2));
  }

  /**
   * Scenario 3: v005 was disabled long ago; the Disable of v006 detached its template and one pod,
   * then broke: two of its three pods still serve; v007 serves.
   */
  static ClusterBuilder workers() {
    return cluster("workers")
        .service("workers")
        .with(
            rs("workers-v005").created("2026-11-10T12:00:00Z").detached().pods(1),
            rs("workers-v006").created("2026-11-19T16:45:00Z").detached().pods(1).serving(2),
            rs("workers-v007").created("2026-11-25T14:20:00Z").serving(3));
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "webapp",
            webapp(),
            "CLEANUP STALE_VERSIONS keep=webapp-v001"
                + " | webapp-v001 KEEP NEWEST_SERVING"
                + " | webapp-v002 DELETE FAILED_CANDIDATE"),
        Arguments.of(
            "stream-consumer",
            streamConsumer(),
            "CLEANUP STALE_VERSIONS keep=stream-consumer-v004"
                + " | stream-consumer-v003 DELETE SUPERSEDED_SERVING"
                + " | stream-consumer-v004 KEEP NEWEST_SERVING"),
        Arguments.of(
            "workers",
            workers(),
            "CLEANUP STALE_VERSIONS keep=workers-v007"
                + " | workers-v005 DELETE SUPERSEDED"
                + " | workers-v006 DELETE SUPERSEDED_SERVING"
                + " | workers-v007 KEEP NEWEST_SERVING"));
  }

  @ParameterizedTest(name = "{0} alone")
  @MethodSource("scenarios")
  void eachScenarioAlone(String application, ClusterBuilder scenario, String expected) {
    Plan plan = plan(snapshot(scenario));

    assertThat(describe(cluster(plan, application))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} together with the others in one namespace")
  @MethodSource("scenarios")
  void eachScenarioTogether(String application, ClusterBuilder ignored, String expected) {
    Plan plan = plan(snapshot(webapp(), streamConsumer(), workers()));

    assertThat(plan.clusters()).hasSize(3);
    assertThat(describe(cluster(plan, application))).isEqualTo(expected);
  }

  @Test
  void togetherTheyDeleteExactlyTheFourLeftovers() {
    Plan plan = plan(snapshot(webapp(), streamConsumer(), workers()));

    assertThat(Plans.deleted(plan))
        .containsExactly("stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");
  }

  @Test
  void workersV006IsFlaggedHalfDisabledWithTwoOfThreePodsServing() {
    VersionPlan v006 = version(cluster(plan(snapshot(workers())), "workers"), "workers-v006");

    assertThat(v006.halfDisabled()).isTrue();
    assertThat(v006.templateEnabled()).isFalse();
    assertThat(v006.pods()).isEqualTo(3);
    assertThat(v006.serving()).isEqualTo(2);
    assertThat(v006.detail()).contains("template detached");
  }

  @Test
  void webappV002IsAFailedCandidateWithItsPodsLabeledButNotReady() {
    VersionPlan v002 = version(cluster(plan(snapshot(webapp())), "webapp"), "webapp-v002");

    assertThat(v002.role()).isEqualTo(Role.FAILED_CANDIDATE);
    assertThat(v002.labeledNotReady()).isEqualTo(2);
    assertThat(v002.readyPods()).isZero();
    assertThat(v002.serving()).isZero();
  }
}
