package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describeAll;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.VersionBuilder;
import io.spinclean.core.spinnaker.Annotations;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 1: a version is a ReplicaSet with non-empty application and cluster annotations (legacy
 * JSON-quoted values unquoted), not owned by a controller and not terminating; versions group by
 * (namespace, application, cluster). Everything else is never planned
 * (docs/spinnaker-semantics.md#identity, #clusters).
 */
class VersionIdentityTest {
  private static final String BOTH =
      "example/webapp/replicaSet webapp: CLEANUP STALE_VERSIONS keep=webapp-v001"
          + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE";
  private static final String ONLY_V001 =
      "example/webapp/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v001"
          + " | webapp-v001 KEEP ONLY_VERSION";

  /**
   * webapp-v001 serves and webapp-v002 never became Ready: when v002 is a version of the same
   * cluster it is deleted; when it is not a version the cluster has a single version.
   */
  static Stream<Arguments> candidates() {
    return Stream.of(
        Arguments.of("both annotations", UnaryOperator.<VersionBuilder>identity(), BOTH),
        Arguments.of(
            "legacy JSON-quoted application and cluster",
            op(
                v ->
                    v.annotation(Annotations.APPLICATION, "\"webapp\"")
                        .annotation(Annotations.CLUSTER, "\"replicaSet webapp\"")),
            BOTH),
        Arguments.of(
            "no application annotation",
            op(v -> v.withoutAnnotation(Annotations.APPLICATION)),
            ONLY_V001),
        Arguments.of(
            "no cluster annotation", op(v -> v.withoutAnnotation(Annotations.CLUSTER)), ONLY_V001),
        Arguments.of(
            "empty application", op(v -> v.annotation(Annotations.APPLICATION, "")), ONLY_V001),
        Arguments.of("blank cluster", op(v -> v.annotation(Annotations.CLUSTER, "  ")), ONLY_V001),
        Arguments.of(
            "JSON-quoted empty application",
            op(v -> v.annotation(Annotations.APPLICATION, "\"\"")),
            ONLY_V001),
        Arguments.of("owned by a Deployment", op(VersionBuilder::ownedByDeployment), ONLY_V001),
        Arguments.of("terminating", op(VersionBuilder::terminating), ONLY_V001));
  }

  private static UnaryOperator<VersionBuilder> op(UnaryOperator<VersionBuilder> f) {
    return f;
  }

  @ParameterizedTest(name = "webapp-v002 with {0}")
  @MethodSource("candidates")
  void onlyVersionsArePlanned(String name, UnaryOperator<VersionBuilder> v002, String expected) {
    Snapshot snapshot =
        snapshot(
            cluster("webapp")
                .service("webapp")
                .with(
                    rs("webapp-v001").serving(2),
                    v002.apply(rs("webapp-v002").pods(2).notReady())));

    assertThat(describeAll(plan(snapshot))).containsExactly(expected);
  }

  static Stream<Arguments> groupings() {
    return Stream.of(
        Arguments.of(
            "same application in two namespaces",
            snapshot(
                cluster("webapp")
                    .namespace("blue")
                    .service("webapp")
                    .with(rs("webapp-v001").serving(2)),
                cluster("webapp")
                    .namespace("green")
                    .service("webapp")
                    .with(rs("webapp-v002").pods(2).notReady())),
            List.of(
                "blue/webapp/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v001"
                    + " | webapp-v001 KEEP ONLY_VERSION",
                "green/webapp/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v002"
                    + " | webapp-v002 KEEP ONLY_VERSION")),
        Arguments.of(
            "same application, two cluster annotations",
            snapshot(
                cluster("webapp").service("webapp").with(rs("webapp-v001").serving(2)),
                cluster("webapp")
                    .moniker("replicaSet webapp-canary")
                    .service("webapp")
                    .with(rs("webapp-v002").pods(2).notReady())),
            List.of(
                "example/webapp/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v001"
                    + " | webapp-v001 KEEP ONLY_VERSION",
                "example/webapp/replicaSet webapp-canary: CLEAN SINGLE_VERSION keep=webapp-v002"
                    + " | webapp-v002 KEEP ONLY_VERSION")),
        Arguments.of(
            "same cluster annotation, two applications",
            snapshot(
                cluster("webapp").service("webapp").with(rs("webapp-v001").serving(2)),
                cluster("webapp")
                    .application("other")
                    .service("webapp")
                    .with(rs("webapp-v002").pods(2).notReady())),
            List.of(
                "example/other/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v002"
                    + " | webapp-v002 KEEP ONLY_VERSION",
                "example/webapp/replicaSet webapp: CLEAN SINGLE_VERSION keep=webapp-v001"
                    + " | webapp-v001 KEEP ONLY_VERSION")),
        Arguments.of(
            "legacy quoted and plain values are one cluster",
            snapshot(
                cluster("webapp").service("webapp").with(rs("webapp-v001").serving(2)),
                cluster("\"webapp\"")
                    .moniker("\"replicaSet webapp\"")
                    .service("webapp")
                    .with(rs("webapp-v002").pods(2).notReady())),
            List.of(BOTH)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("groupings")
  void versionsGroupByNamespaceApplicationAndCluster(
      String name, Snapshot snapshot, List<String> expected) {
    assertThat(describeAll(plan(snapshot))).containsExactlyElementsOf(expected);
  }
}
