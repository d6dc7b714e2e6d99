package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.only;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.VersionBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 6: the keeper is the newest version with a serving pod; a single version is CLEAN whatever
 * it does; two or more versions and none serving is REFUSED with nothing deleted.
 */
class KeeperTest {
  static Stream<Arguments> clusters() {
    return Stream.of(
        Arguments.of(
            "the newest serving version, not the newest version",
            List.of(
                rs("app-v001").serving(1),
                rs("app-v002").serving(1),
                rs("app-v003").pods(1).notReady()),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED_SERVING"
                + " | app-v002 KEEP NEWEST_SERVING | app-v003 DELETE FAILED_CANDIDATE"),
        Arguments.of(
            "one serving pod is enough",
            List.of(rs("app-v001").serving(3), rs("app-v002").serving(1).pods(4).notReady()),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED_SERVING"
                + " | app-v002 KEEP NEWEST_SERVING"),
        Arguments.of(
            "a single serving version",
            List.of(rs("app-v001").serving(2)),
            "CLEAN SINGLE_VERSION keep=app-v001 | app-v001 KEEP ONLY_VERSION"),
        Arguments.of(
            "a single version that serves nothing",
            List.of(rs("app-v001").pods(2).notReady()),
            "CLEAN SINGLE_VERSION keep=app-v001 | app-v001 KEEP ONLY_VERSION"),
        Arguments.of(
            "a single version without pods",
            List.of(rs("app-v001")),
            "CLEAN SINGLE_VERSION keep=app-v001 | app-v001 KEEP ONLY_VERSION"),
        Arguments.of(
            "two versions, none serving",
            List.of(rs("app-v001").pods(2).notReady(), rs("app-v002").detached().pods(2)),
            "REFUSED NO_SERVING_VERSION keep=-"
                + " | app-v001 RETAIN CLUSTER_REFUSED | app-v002 RETAIN CLUSTER_REFUSED"),
        Arguments.of(
            "three versions, none serving, one only through terminating pods",
            List.of(rs("app-v001"), rs("app-v002").serving(2).beingDeleted(), rs("app-v003")),
            "REFUSED NO_SERVING_VERSION keep=-"
                + " | app-v001 RETAIN CLUSTER_REFUSED | app-v002 RETAIN CLUSTER_REFUSED"
                + " | app-v003 RETAIN CLUSTER_REFUSED"),
        Arguments.of(
            "the keeper alone with a protected old version",
            List.of(rs("app-v001").protect(), rs("app-v002").serving(1)),
            "CLEAN NOTHING_TO_DELETE keep=app-v002 | app-v001 RETAIN PROTECTED"
                + " | app-v002 KEEP NEWEST_SERVING"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clusters")
  void keeper(String name, List<VersionBuilder> versions, String expected) {
    Snapshot snapshot =
        snapshot(cluster("app").service("app").with(versions.toArray(VersionBuilder[]::new)));

    ClusterPlan plan = only(plan(snapshot));

    assertThat(describe(plan)).isEqualTo(expected);
    plan.keep()
        .ifPresent(k -> assertThat(Plans.version(plan, k).role()).isIn(Role.KEEPER, Role.ONLY));
  }
}
