package io.spinclean.core;

import static io.spinclean.core.Clusters.NOW;
import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.only;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.VersionBuilder;
import io.spinclean.core.spinnaker.Annotations;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 7: every version but the keeper is DELETE, except RETAIN for the protect annotation, for the
 * {@code --keep-previous N} newest non-serving versions older than the keeper, and for versions
 * newer than the keeper and younger than {@code --min-age}.
 */
class RetentionTest {
  private static final Policy DEFAULT = Policy.DEFAULT;

  static Stream<Arguments> protect() {
    return Stream.of(
        Arguments.of(
            "an old version that serves nothing",
            List.of(rs("app-v001").protect(), rs("app-v002").serving(1)),
            "CLEAN NOTHING_TO_DELETE keep=app-v002 | app-v001 RETAIN PROTECTED"
                + " | app-v002 KEEP NEWEST_SERVING"),
        Arguments.of(
            "an old version that still serves",
            List.of(rs("app-v001").protect().serving(1), rs("app-v002").serving(1)),
            "CLEAN NOTHING_TO_DELETE keep=app-v002 | app-v001 RETAIN PROTECTED"
                + " | app-v002 KEEP NEWEST_SERVING"),
        Arguments.of(
            "a failed candidate",
            List.of(rs("app-v001").serving(1), rs("app-v002").protect().pods(1).notReady()),
            "CLEAN NOTHING_TO_DELETE keep=app-v001 | app-v001 KEEP NEWEST_SERVING"
                + " | app-v002 RETAIN PROTECTED"),
        Arguments.of(
            "legacy JSON-quoted \"true\", any case",
            List.of(
                rs("app-v001").annotation(Annotations.PROTECT, "\"TRUE\""),
                rs("app-v002").serving(1)),
            "CLEAN NOTHING_TO_DELETE keep=app-v002 | app-v001 RETAIN PROTECTED"
                + " | app-v002 KEEP NEWEST_SERVING"),
        Arguments.of(
            "\"false\" protects nothing",
            List.of(
                rs("app-v001").annotation(Annotations.PROTECT, "false"), rs("app-v002").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 KEEP NEWEST_SERVING"),
        Arguments.of(
            "\"yes\" protects nothing",
            List.of(
                rs("app-v001").annotation(Annotations.PROTECT, "yes"), rs("app-v002").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 KEEP NEWEST_SERVING"));
  }

  @ParameterizedTest(name = "protect {0}")
  @MethodSource("protect")
  void theProtectAnnotationRetains(String name, List<VersionBuilder> versions, String expected) {
    assertThat(describe(planOf(DEFAULT, versions))).isEqualTo(expected);
  }

  static Stream<Arguments> keepPrevious() {
    // app-v004 is the keeper; the older ones serve nothing unless said otherwise.
    return Stream.of(
        Arguments.of(
            0,
            List.of(rs("app-v001"), rs("app-v002"), rs("app-v003"), rs("app-v004").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v004 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 DELETE SUPERSEDED | app-v003 DELETE SUPERSEDED"
                + " | app-v004 KEEP NEWEST_SERVING"),
        Arguments.of(
            1,
            List.of(rs("app-v001"), rs("app-v002"), rs("app-v003"), rs("app-v004").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v004 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 DELETE SUPERSEDED | app-v003 RETAIN ROLLBACK_TARGET"
                + " | app-v004 KEEP NEWEST_SERVING"),
        Arguments.of(
            2,
            List.of(rs("app-v001"), rs("app-v002"), rs("app-v003"), rs("app-v004").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v004 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 RETAIN ROLLBACK_TARGET | app-v003 RETAIN ROLLBACK_TARGET"
                + " | app-v004 KEEP NEWEST_SERVING"),
        Arguments.of(
            5,
            List.of(rs("app-v001"), rs("app-v002"), rs("app-v003"), rs("app-v004").serving(1)),
            "CLEAN NOTHING_TO_DELETE keep=app-v004 | app-v001 RETAIN ROLLBACK_TARGET"
                + " | app-v002 RETAIN ROLLBACK_TARGET | app-v003 RETAIN ROLLBACK_TARGET"
                + " | app-v004 KEEP NEWEST_SERVING"),
        // A serving old version is no rollback target: it is deleted and takes no slot.
        Arguments.of(
            1,
            List.of(
                rs("app-v001"),
                rs("app-v002"),
                rs("app-v003").serving(1),
                rs("app-v004").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v004 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 RETAIN ROLLBACK_TARGET | app-v003 DELETE SUPERSEDED_SERVING"
                + " | app-v004 KEEP NEWEST_SERVING"),
        // A protected version is kept anyway and takes no slot.
        Arguments.of(
            1,
            List.of(
                rs("app-v001"),
                rs("app-v002"),
                rs("app-v003").protect(),
                rs("app-v004").serving(1)),
            "CLEANUP STALE_VERSIONS keep=app-v004 | app-v001 DELETE SUPERSEDED"
                + " | app-v002 RETAIN ROLLBACK_TARGET | app-v003 RETAIN PROTECTED"
                + " | app-v004 KEEP NEWEST_SERVING"),
        // Versions newer than the keeper are never rollback targets.
        Arguments.of(
            1,
            List.of(rs("app-v003").serving(1), rs("app-v004").pods(1).notReady()),
            "CLEANUP STALE_VERSIONS keep=app-v003 | app-v003 KEEP NEWEST_SERVING"
                + " | app-v004 DELETE FAILED_CANDIDATE"));
  }

  @ParameterizedTest(name = "--keep-previous {0}: {2}")
  @MethodSource("keepPrevious")
  void keepPreviousRetainsTheNewestNonServingOlderVersions(
      int keepPrevious, List<VersionBuilder> versions, String expected) {
    assertThat(describe(planOf(DEFAULT.withKeepPrevious(keepPrevious), versions)))
        .isEqualTo(expected);
  }

  static Stream<Arguments> minAge() {
    Duration tenMinutes = Duration.ofMinutes(10);
    return Stream.of(
        Arguments.of(tenMinutes, Duration.ofMinutes(9), "RETAIN TOO_YOUNG"),
        Arguments.of(tenMinutes, Duration.ofMinutes(10), "DELETE FAILED_CANDIDATE"),
        Arguments.of(tenMinutes, Duration.ofMinutes(11), "DELETE FAILED_CANDIDATE"),
        Arguments.of(tenMinutes, Duration.ofMinutes(-1), "RETAIN TOO_YOUNG"),
        Arguments.of(Duration.ZERO, Duration.ZERO, "DELETE FAILED_CANDIDATE"),
        // Created after takenAt is clock skew: with no --min-age it is no reason to wait.
        Arguments.of(Duration.ZERO, Duration.ofMinutes(-1), "DELETE FAILED_CANDIDATE"));
  }

  @ParameterizedTest(name = "--min-age {0}, candidate aged {1}: {2}")
  @MethodSource("minAge")
  void minAgeRetainsYoungVersionsNewerThanTheKeeper(
      Duration minAge, Duration age, String expected) {
    ClusterPlan plan =
        planOf(
            DEFAULT.withMinAge(minAge),
            List.of(
                rs("app-v001").age(Duration.ofHours(2)).serving(1),
                rs("app-v002").age(age).pods(1).notReady()));

    VersionPlan candidate = Plans.version(plan, "app-v002");
    assertThat(candidate.action() + " " + candidate.reason()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("olderYoung")
  void minAgeDoesNotRetainVersionsOlderThanTheKeeper(String name, VersionBuilder old) {
    ClusterPlan plan =
        planOf(
            DEFAULT.withMinAge(Duration.ofHours(1)),
            List.of(
                old.age(Duration.ofMinutes(2)),
                rs("app-v002").age(Duration.ofMinutes(1)).serving(1)));

    assertThat(Plans.version(plan, "app-v001").action()).isEqualTo(Action.DELETE);
  }

  static Stream<Arguments> olderYoung() {
    return Stream.of(
        Arguments.of("serving nothing", rs("app-v001")),
        Arguments.of("still serving", rs("app-v001").serving(1)));
  }

  private static ClusterPlan planOf(Policy policy, List<VersionBuilder> versions) {
    Snapshot snapshot =
        snapshot(NOW, cluster("app").service("app").with(versions.toArray(VersionBuilder[]::new)));
    return only(plan(snapshot, policy));
  }
}
