package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describeAll;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 9: when the whole plan deletes more than {@code --max-deletions}, every cluster that would
 * delete is REFUSED; clusters that delete nothing keep their verdict. Exactly at the limit is fine.
 */
class MaxDeletionsTest {
  /** The article's three scenarios (4 deletions), a clean cluster and a skipped one. */
  private static Snapshot fourDeletions() {
    return snapshot(
        ArticleScenariosTest.webapp(),
        ArticleScenariosTest.streamConsumer(),
        ArticleScenariosTest.workers(),
        cluster("calm").service("calm").with(rs("calm-v001").serving(1)),
        cluster("batch").with(rs("batch-v001"), rs("batch-v002")));
  }

  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of(OptionalInt.empty(), 4),
        Arguments.of(OptionalInt.of(5), 4),
        Arguments.of(OptionalInt.of(4), 4),
        Arguments.of(OptionalInt.of(3), 0),
        Arguments.of(OptionalInt.of(0), 0));
  }

  @ParameterizedTest(name = "--max-deletions {0}: {1} deletions")
  @MethodSource("limits")
  void theWholePlanIsCapped(OptionalInt max, int deletions) {
    Plan plan = plan(fourDeletions(), Policy.DEFAULT.withMaxDeletions(max));

    assertThat(plan.deletions()).hasSize(deletions);
    List<String> verdicts =
        plan.clusters().stream().map(c -> c.key().application() + " " + c.reason()).toList();
    if (deletions == 0) {
      assertThat(verdicts)
          .containsExactly(
              "batch NOT_TRAFFIC_MANAGED",
              "calm SINGLE_VERSION",
              "stream-consumer MAX_DELETIONS_EXCEEDED",
              "webapp MAX_DELETIONS_EXCEEDED",
              "workers MAX_DELETIONS_EXCEEDED");
      assertThat(plan.clusters())
          .filteredOn(c -> c.reason() == ClusterReason.MAX_DELETIONS_EXCEEDED)
          .allSatisfy(
              c ->
                  assertThat(c.detail())
                      .isEqualTo(
                          "the plan would delete 4 versions, more than --max-deletions "
                              + max.getAsInt()));
    } else {
      assertThat(verdicts)
          .containsExactly(
              "batch NOT_TRAFFIC_MANAGED",
              "calm SINGLE_VERSION",
              "stream-consumer STALE_VERSIONS",
              "webapp STALE_VERSIONS",
              "workers STALE_VERSIONS");
    }
  }

  @ParameterizedTest(name = "--max-deletions {0}")
  @MethodSource("limits")
  void aRefusedClusterStillShowsItsKeeperAndWhatItWouldDelete(OptionalInt max, int deletions) {
    Plan plan = plan(fourDeletions(), Policy.DEFAULT.withMaxDeletions(max));

    if (deletions == 0) {
      assertThat(describeAll(plan))
          .contains(
              "example/webapp/replicaSet webapp: REFUSED MAX_DELETIONS_EXCEEDED keep=webapp-v001"
                  + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 RETAIN CLUSTER_REFUSED");
      assertThat(Plans.version(Plans.cluster(plan, "webapp"), "webapp-v002").detail())
          .startsWith("would delete (newer than webapp-v001");
    } else {
      assertThat(describeAll(plan))
          .contains(
              "example/webapp/replicaSet webapp: CLEANUP STALE_VERSIONS keep=webapp-v001"
                  + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE");
    }
  }
}
