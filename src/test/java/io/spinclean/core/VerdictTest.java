package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describeAll;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.ClusterBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rule 10: every cluster gets a verdict (CLEAN, CLEANUP, REFUSED, SKIPPED) with a reason, every
 * version an action with a reason and a human detail; one bad cluster never stops the others.
 */
class VerdictTest {
  private static final List<ClusterBuilder> EVERY_VERDICT =
      List.of(
          cluster("calm").service("calm").with(rs("calm-v001").serving(1)),
          ArticleScenariosTest.webapp(),
          cluster("broken")
              .service("broken")
              .traffic("not json")
              .with(rs("broken-v001").serving(1), rs("broken-v002").pods(1).notReady()),
          cluster("batch").with(rs("batch-v001"), rs("batch-v002")));

  @Test
  void oneBadClusterDoesNotStopTheOthers() {
    Plan plan = plan(snapshot(EVERY_VERDICT.toArray(ClusterBuilder[]::new)));

    assertThat(describeAll(plan))
        .containsExactly(
            "example/batch/replicaSet batch: SKIPPED NOT_TRAFFIC_MANAGED keep=-"
                + " | batch-v001 RETAIN CLUSTER_SKIPPED | batch-v002 RETAIN CLUSTER_SKIPPED",
            "example/broken/replicaSet broken: REFUSED MALFORMED_ANNOTATION keep=-"
                + " | broken-v001 RETAIN CLUSTER_REFUSED | broken-v002 RETAIN CLUSTER_REFUSED",
            "example/calm/replicaSet calm: CLEAN SINGLE_VERSION keep=calm-v001"
                + " | calm-v001 KEEP ONLY_VERSION",
            "example/webapp/replicaSet webapp: CLEANUP STALE_VERSIONS keep=webapp-v001"
                + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE");
    assertThat(plan.anyRefused()).isTrue();
  }

  @Test
  void everyClusterAndVersionCarriesAHumanDetail() {
    Plan plan = plan(snapshot(EVERY_VERDICT.toArray(ClusterBuilder[]::new)));

    assertThat(plan.clusters()).allSatisfy(c -> assertThat(c.detail()).isNotBlank());
    assertThat(plan.clusters().stream().flatMap(c -> c.versions().stream()))
        .hasSize(7)
        .allSatisfy(v -> assertThat(v.detail()).isNotBlank());
  }

  @Test
  void theSummaryCountsVerdictsAndActions() {
    Plan.Summary summary = plan(snapshot(EVERY_VERDICT.toArray(ClusterBuilder[]::new))).summary();

    assertThat(summary.clusters()).isEqualTo(4);
    assertThat(summary.versions()).isEqualTo(7);
    assertThat(summary.verdicts())
        .isEqualTo(
            Map.of(Verdict.CLEAN, 1, Verdict.CLEANUP, 1, Verdict.REFUSED, 1, Verdict.SKIPPED, 1));
    assertThat(summary.actions())
        .isEqualTo(Map.of(Action.KEEP, 2, Action.DELETE, 1, Action.RETAIN, 4));
  }

  @Test
  void clustersAreSortedByNamespaceApplicationClusterWhateverTheInputOrder() {
    List<ClusterBuilder> reversed = new ArrayList<>(EVERY_VERDICT);
    Collections.reverse(reversed);
    reversed.add(cluster("calm").namespace("aaa").service("calm").with(rs("calm-v001")));

    Plan plan = plan(snapshot(reversed.toArray(ClusterBuilder[]::new)));

    assertThat(plan.clusters())
        .extracting(c -> c.key().toString())
        .containsExactly(
            "aaa/calm/replicaSet calm",
            "example/batch/replicaSet batch",
            "example/broken/replicaSet broken",
            "example/calm/replicaSet calm",
            "example/webapp/replicaSet webapp");
  }

  @Test
  void selectionFlagsLimitThePlanToTheChosenClusters() {
    Snapshot all = snapshot(EVERY_VERDICT.toArray(ClusterBuilder[]::new));

    assertThat(plan(all, Policy.DEFAULT.withApplications(Set.of("webapp"))).clusters())
        .extracting(c -> c.key().application())
        .containsExactly("webapp");
    assertThat(plan(all, Policy.DEFAULT.withClusters(Set.of("replicaSet calm"))).clusters())
        .extracting(c -> c.key().application())
        .containsExactly("calm");
    assertThat(plan(all, Policy.DEFAULT.withNamespaces(Set.of("elsewhere"))).clusters()).isEmpty();
  }
}
