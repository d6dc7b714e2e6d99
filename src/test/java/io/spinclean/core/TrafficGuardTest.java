package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.ClusterBuilder;
import io.spinclean.core.Clusters.VersionBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 8: a Service that has a serving pod in the cluster must still have one after the plan,
 * otherwise the cluster is REFUSED and nothing in it is deleted.
 */
class TrafficGuardTest {
  private static ClusterBuilder twoServices(VersionBuilder... versions) {
    return cluster("app").service("a").service("b").with(versions);
  }

  static Stream<Arguments> clusters() {
    return Stream.of(
        Arguments.of(
            "the old version serves a, the new one only b",
            twoServices(
                rs("app-v001").templateFor("a").serving(2).labeledFor("a"),
                rs("app-v002").templateFor("b").serving(2).labeledFor("b")),
            "REFUSED TRAFFIC_GUARD keep=app-v002 | app-v001 RETAIN CLUSTER_REFUSED"
                + " | app-v002 KEEP NEWEST_SERVING",
            "Service a would lose its last serving pod"),
        Arguments.of(
            "the old version serves a and b, the new one only a",
            twoServices(
                rs("app-v001").serving(2),
                rs("app-v002").templateFor("a").serving(2).labeledFor("a")),
            "REFUSED TRAFFIC_GUARD keep=app-v002 | app-v001 RETAIN CLUSTER_REFUSED"
                + " | app-v002 KEEP NEWEST_SERVING",
            "Service b would lose its last serving pod"),
        Arguments.of(
            "both serve a and b",
            twoServices(rs("app-v001").serving(2), rs("app-v002").serving(2)),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED_SERVING"
                + " | app-v002 KEEP NEWEST_SERVING",
            "keep app-v002"),
        Arguments.of(
            "the new one serves a and b through different pods",
            twoServices(
                rs("app-v001").serving(2),
                rs("app-v002").serving(1).labeledFor("a").serving(1).labeledFor("b")),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED_SERVING"
                + " | app-v002 KEEP NEWEST_SERVING",
            "keep app-v002"),
        Arguments.of(
            "a is still served by a protected old version",
            twoServices(
                rs("app-v001").protect().serving(1).labeledFor("a"),
                rs("app-v002").serving(1).labeledFor("a"),
                rs("app-v003").serving(1).labeledFor("b")),
            "CLEANUP STALE_VERSIONS keep=app-v003 | app-v001 RETAIN PROTECTED"
                + " | app-v002 DELETE SUPERSEDED_SERVING | app-v003 KEEP NEWEST_SERVING",
            "keep app-v003"),
        Arguments.of(
            "b only had labeled pods that are not Ready: it has nothing to lose",
            twoServices(
                rs("app-v001").serving(1).labeledFor("a").pods(1).labeledFor("b").notReady(),
                rs("app-v002").serving(1).labeledFor("a")),
            "CLEANUP STALE_VERSIONS keep=app-v002 | app-v001 DELETE SUPERSEDED_SERVING"
                + " | app-v002 KEEP NEWEST_SERVING",
            "keep app-v002"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clusters")
  void everyServedServiceKeepsAServingPod(
      String name, ClusterBuilder cluster, String expected, String detail) {
    ClusterPlan plan = Plans.only(plan(snapshot(cluster)));

    assertThat(describe(plan)).isEqualTo(expected);
    assertThat(plan.detail()).isEqualTo(detail);
  }

  @Test
  void aRefusedVersionSaysWhatWouldHaveHappened() {
    ClusterPlan plan =
        Plans.only(
            plan(
                snapshot(
                    twoServices(
                        rs("app-v001").serving(2).labeledFor("a"),
                        rs("app-v002").serving(2).labeledFor("b")))));

    assertThat(Plans.version(plan, "app-v001").detail())
        .startsWith("would delete (older than app-v002 and still serving");
    assertThat(Plans.version(plan, "app-v001").role()).isEqualTo(Role.STALE_INCUMBENT);
  }

  @Test
  void aPlanMustNotHideAServedServiceFromTheNextPlan() {
    // app-v003 serves b by its labels, but only app-v002 names b in its traffic annotation.
    // Deleting app-v002 would leave b served yet no longer the cluster's Service: the next plan
    // would keep the protected app-v001 (serving a) and delete app-v003, b's last endpoints.
    ClusterBuilder c =
        twoServices(
            rs("app-v001").protect().traffic("[\"service a\"]").serving(1).labeledFor("a"),
            rs("app-v002").traffic("[\"service b\"]"),
            rs("app-v003").traffic("[\"service a\"]").templateFor("b").serving(2).labeledFor("b"));

    ClusterPlan plan = Plans.only(plan(snapshot(c)));

    assertThat(describe(plan))
        .isEqualTo(
            "REFUSED TRAFFIC_GUARD keep=app-v003 | app-v001 RETAIN PROTECTED"
                + " | app-v002 RETAIN CLUSTER_REFUSED | app-v003 KEEP NEWEST_SERVING");
    assertThat(plan.detail())
        .isEqualTo(
            "Service b would still be served but no longer named by any version's"
                + " traffic.spinnaker.io/load-balancers");
  }

  @Test
  void onlyThisClustersPodsCount() {
    // Another cluster in the namespace also serves Service a; the guard does not lean on it:
    // the other cluster's versions are that cluster's business and may be cleaned up too.
    ClusterBuilder other =
        cluster("other").service("a").service("b").with(rs("other-v001").serving(2));
    ClusterBuilder app =
        twoServices(
            rs("app-v001").serving(2).labeledFor("a"), rs("app-v002").serving(2).labeledFor("b"));

    Plan plan = plan(snapshot(other, app));

    assertThat(Plans.cluster(plan, "app").reason()).isEqualTo(ClusterReason.TRAFFIC_GUARD);
    assertThat(Plans.deleted(plan)).isEqualTo(List.of());
  }
}
