package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.describe;
import static io.spinclean.core.Plans.only;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.ClusterBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 2: a cluster's Services are the union of its versions' {@code
 * traffic.spinnaker.io/load-balancers} entries of kind Service (case-insensitive, alias {@code
 * svc}) in the same namespace (docs/spinnaker-semantics.md#identity). No Service named: SKIPPED.
 * Malformed: REFUSED.
 */
class TrafficAnnotationTest {
  private static final String CLEANUP =
      "CLEANUP STALE_VERSIONS keep=webapp-v001"
          + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE";
  private static final String SKIPPED =
      "SKIPPED NOT_TRAFFIC_MANAGED keep=-"
          + " | webapp-v001 RETAIN CLUSTER_SKIPPED | webapp-v002 RETAIN CLUSTER_SKIPPED";
  private static final String MALFORMED =
      "REFUSED MALFORMED_ANNOTATION keep=-"
          + " | webapp-v001 RETAIN CLUSTER_REFUSED | webapp-v002 RETAIN CLUSTER_REFUSED";

  /** The Service webapp exists; v001 serves it, v002's pods are labeled but never got Ready. */
  private static ClusterBuilder webapp(String trafficAnnotation) {
    ClusterBuilder c = cluster("webapp").service("webapp");
    if (trafficAnnotation != null) {
      c.traffic(trafficAnnotation);
    }
    return c.with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady());
  }

  static Stream<Arguments> annotations() {
    return Stream.of(
        Arguments.of("[\"service webapp\"]", CLEANUP),
        Arguments.of("[\"Service webapp\"]", CLEANUP),
        Arguments.of("[\"SERVICE webapp\"]", CLEANUP),
        Arguments.of("[\"svc webapp\"]", CLEANUP),
        Arguments.of("[\"SVC webapp\"]", CLEANUP),
        Arguments.of(" [ \"service   webapp\" ] ", CLEANUP),
        Arguments.of("[\"ingress webapp\",\"service webapp\"]", CLEANUP),
        Arguments.of("[\"service webapp\",\"service webapp\"]", CLEANUP),
        // Kinds other than Service are not Spinnaker traffic spinclean can see.
        Arguments.of("[\"ingress webapp\"]", SKIPPED),
        Arguments.of("[\"deployment webapp\"]", SKIPPED),
        Arguments.of("[]", SKIPPED),
        Arguments.of("", SKIPPED),
        Arguments.of("   ", SKIPPED),
        Arguments.of("service webapp", MALFORMED),
        Arguments.of("[\"service webapp\"", MALFORMED),
        Arguments.of("[\"service\"]", MALFORMED),
        Arguments.of("[\"service web app\"]", MALFORMED),
        Arguments.of("[\"\"]", MALFORMED),
        Arguments.of("[1]", MALFORMED),
        Arguments.of("{\"service\":\"webapp\"}", MALFORMED),
        Arguments.of("[\"service webapp\"] trailing", MALFORMED));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("annotations")
  void trafficAnnotationOnEveryVersion(String annotation, String expected) {
    assertThat(describe(only(plan(snapshot(webapp(annotation)))))).isEqualTo(expected);
  }

  @Test
  void noVersionWithTheAnnotationIsSkippedEvenWhenAServiceSelectsItsPods() {
    ClusterBuilder c =
        cluster("webapp")
            .unlistedService("webapp")
            .with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady());

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(describe(plan)).isEqualTo(SKIPPED);
    assertThat(plan.detail()).contains("traffic.spinnaker.io/load-balancers");
  }

  @Test
  void oneMalformedVersionRefusesTheWholeClusterAndNamesIt() {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .with(
                rs("webapp-v001").serving(2),
                rs("webapp-v002").pods(2).notReady().traffic("[\"service\"]"));

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(describe(plan)).isEqualTo(MALFORMED);
    assertThat(plan.detail())
        .isEqualTo(
            "webapp-v002: traffic.spinnaker.io/load-balancers has an entry that is not"
                + " \"<kind> <name>\": \"service\"");
  }

  @Test
  void withTwoMalformedVersionsTheDetailDoesNotDependOnInputOrder() {
    Snapshot s =
        snapshot(
            cluster("webapp")
                .service("webapp")
                .with(
                    rs("webapp-v001").serving(2).traffic("not json"),
                    rs("webapp-v002").pods(2).notReady().traffic("[\"service\"]")));
    List<ReplicaSet> reversed = new ArrayList<>(s.replicaSets());
    Collections.reverse(reversed);

    String detail = only(plan(s)).detail();

    assertThat(detail).startsWith("webapp-v001: ");
    assertThat(only(plan(new Snapshot(s.takenAt(), reversed, s.pods(), s.services()))).detail())
        .isEqualTo(detail);
  }

  @Test
  void versionsWithoutTheAnnotationTakePartThroughTheOthers() {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady().noTraffic());

    assertThat(describe(only(plan(snapshot(c))))).isEqualTo(CLEANUP);
  }

  @Test
  void theServicesAreTheUnionOverTheVersions() {
    ClusterBuilder c =
        cluster("webapp")
            .service("a")
            .service("b")
            .with(
                rs("webapp-v001").traffic("[\"service a\"]").serving(1).labeledFor("a"),
                rs("webapp-v002").traffic("[\"svc b\"]").serving(1).labeledFor("b"));

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(plan.services()).containsExactly("a", "b");
    // v001 serves a, which v002 does not: the traffic guard sees both Services.
    assertThat(plan.verdict()).isEqualTo(Verdict.REFUSED);
    assertThat(plan.reason()).isEqualTo(ClusterReason.TRAFFIC_GUARD);
  }

  @Test
  void aMissingServiceIsReportedAndIgnored() {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .missingService("gone")
            .with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady());

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(describe(plan)).isEqualTo(CLEANUP);
    assertThat(plan.services()).containsExactly("webapp");
    assertThat(plan.missingServices()).containsExactly("gone");
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("gone", "does not exist"));
  }

  @Test
  void aMissingServiceIsStillReportedWhenTheClusterIsRefused() {
    ClusterBuilder c =
        cluster("webapp")
            .missingService("gone")
            .with(rs("webapp-v001").pods(2), rs("webapp-v002").pods(2).notReady());

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(plan.reason()).isEqualTo(ClusterReason.NO_SERVING_VERSION);
    assertThat(plan.missingServices()).containsExactly("gone");
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("gone"));
  }

  @Test
  void aServiceOfTheSameNameInAnotherNamespaceIsNotTheClustersService() {
    Snapshot both =
        snapshot(
            cluster("webapp")
                .namespace("blue")
                .service("webapp")
                .with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady()),
            cluster("webapp").namespace("green").service("webapp"));
    List<Service> greenOnly =
        both.services().stream().filter(s -> s.namespace().equals("green")).toList();

    ClusterPlan blue =
        only(plan(new Snapshot(both.takenAt(), both.replicaSets(), both.pods(), greenOnly)));

    assertThat(blue.missingServices()).containsExactly("webapp");
    assertThat(blue.reason()).isEqualTo(ClusterReason.NO_SERVING_VERSION);
  }
}
