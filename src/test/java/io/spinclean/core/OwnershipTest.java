package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.only;
import static io.spinclean.core.Plans.plan;
import static io.spinclean.core.Plans.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.ClusterBuilder;
import io.spinclean.core.Selector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 3: a version's pods are those whose controlling ownerReference names its uid and whose
 * labels match its spec.selector (docs/spinnaker-semantics.md#traffic). Issue 10: a Ready pod
 * carrying the Service's labels, owned by the failed candidate through a non-controller
 * ownerReference, flipped the plan from "keep v001" to "keep v002, DELETE v001". Anyone allowed to
 * create pods can add one.
 */
class OwnershipTest {
  private static final String KEEP_V001 =
      "CLEANUP STALE_VERSIONS keep=webapp-v001"
          + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE";

  /** The article's scenario 1: v001 serves, v002's pods never became Ready. */
  private static ClusterBuilder deployStuck(Clusters.VersionBuilder v002) {
    return cluster("webapp").service("webapp").with(rs("webapp-v001").serving(2), v002);
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("no extra pod", rs("webapp-v002").pods(2).notReady()),
        Arguments.of(
            "a Ready serving pod whose only ownerReference to v002 is not its controller",
            rs("webapp-v002").pods(2).notReady().serving(1).uncontrolled()),
        Arguments.of(
            "a Ready serving pod controlled by v002 whose labels miss v002's selector",
            rs("webapp-v002").pods(2).notReady().serving(1).outsideSelector()),
        Arguments.of(
            "a Ready serving pod controlled by v002 that fails a matchExpressions term",
            rs("webapp-v002")
                .selector(
                    new Selector(
                        Map.of("app", "webapp"),
                        List.of(new Requirement("track", "NotIn", List.of("forged")))))
                .pods(2)
                .notReady()
                .serving(1)
                .podLabels(Map.of("track", "forged", "load-balancer-webapp", "true"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void onlyControlledPodsMatchingTheSelectorMakeAVersionServe(
      String name, Clusters.VersionBuilder v002) {
    ClusterPlan plan = only(plan(snapshot(deployStuck(v002))));

    assertThat(describe(plan)).isEqualTo(KEEP_V001);
    assertThat(version(plan, "webapp-v002").serving()).isZero();
    assertThat(version(plan, "webapp-v002").pods()).isEqualTo(2);
  }

  @Test
  void aPodControlledByTheVersionAndMatchingItsSelectorIsItsOwn() {
    ClusterPlan plan =
        only(
            plan(
                snapshot(
                    deployStuck(
                        rs("webapp-v002")
                            .selector(
                                new Selector(
                                    Map.of("app", "webapp"),
                                    List.of(new Requirement("track", "In", List.of("stable")))))
                            .serving(1)
                            .podLabels(Map.of("track", "stable", "load-balancer-webapp", "true"))
                            .pods(0)))));

    assertThat(plan.keep()).contains("webapp-v002");
    assertThat(version(plan, "webapp-v002").serving()).isEqualTo(1);
  }

  /**
   * A selector that cannot be read would give a version no pods, and a serving incumbent without
   * pods looks deletable: the cluster is refused instead, before any version gets a role.
   */
  @Test
  void aVersionWhoseSelectorCannotBeReadRefusesItsCluster() {
    Selector unknown =
        new Selector(
            Map.of("app", "webapp"),
            List.of(new Requirement("version", "Matches", List.of("v00.*"))));

    ClusterPlan plan =
        only(
            plan(
                snapshot(
                    cluster("webapp")
                        .service("webapp")
                        .with(
                            rs("webapp-v001").selector(unknown).serving(2),
                            rs("webapp-v002").serving(2)))));

    assertThat(plan.verdict()).isEqualTo(Verdict.REFUSED);
    assertThat(plan.reason()).isEqualTo(ClusterReason.MALFORMED_SELECTOR);
    assertThat(plan.detail())
        .isEqualTo("webapp-v001: matchExpressions operator \"Matches\" is unknown");
    assertThat(plan.deletions()).isEmpty();
  }
}
