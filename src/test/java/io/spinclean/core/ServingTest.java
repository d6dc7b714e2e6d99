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
import io.spinclean.core.Clusters.VersionBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules 3 and 4: a version's pods are those whose controlling ownerReference names its uid and
 * whose labels match its selector (more in {@link OwnershipTest}); a pod serves when it is Ready,
 * not terminating, and carries the whole non-empty selector of one of the cluster's existing
 * Services (docs/spinnaker-semantics.md#traffic). Reported per version: replicas, pods, ready,
 * serving, labeled-but-not-ready, template enabled, half disabled.
 */
class ServingTest {
  /** What a user reads about a version in the plan. */
  private static String counts(VersionPlan v) {
    return "replicas="
        + v.replicas()
        + " pods="
        + v.pods()
        + " ready="
        + v.readyPods()
        + " serving="
        + v.serving()
        + " labeledNotReady="
        + v.labeledNotReady()
        + " template="
        + (v.templateEnabled() ? "enabled" : "detached")
        + (v.halfDisabled() ? " halfDisabled" : "")
        + " services="
        + v.servedServices();
  }

  static Stream<Arguments> versions() {
    return Stream.of(
        Arguments.of(
            "serving pods",
            rs("app-v001").serving(3),
            "replicas=3 pods=3 ready=3 serving=3 labeledNotReady=0 template=enabled"
                + " services=[app]"),
        Arguments.of(
            "labeled, not Ready",
            rs("app-v001").pods(2).notReady(),
            "replicas=2 pods=2 ready=0 serving=0 labeledNotReady=2 template=enabled services=[]"),
        Arguments.of(
            "labeled, Ready, terminating",
            rs("app-v001").serving(2).beingDeleted(),
            "replicas=2 pods=2 ready=2 serving=0 labeledNotReady=2 template=enabled services=[]"),
        Arguments.of(
            "Ready, without the selector",
            rs("app-v001").pods(2).unlabeled(),
            "replicas=2 pods=2 ready=2 serving=0 labeledNotReady=0 template=enabled services=[]"),
        Arguments.of(
            "half of a two-key selector",
            rs("app-v001").serving(1).podLabels(Map.of("load-balancer", "app")),
            "replicas=1 pods=1 ready=1 serving=0 labeledNotReady=0 template=enabled services=[]"),
        Arguments.of(
            "the selector with a different value",
            rs("app-v001").serving(1).podLabels(Map.of("load-balancer", "app", "track", "canary")),
            "replicas=1 pods=1 ready=1 serving=0 labeledNotReady=0 template=enabled services=[]"),
        Arguments.of(
            "the selector and more labels",
            rs("app-v001")
                .serving(1)
                .podLabels(Map.of("load-balancer", "app", "track", "stable", "extra", "x")),
            "replicas=1 pods=1 ready=1 serving=1 labeledNotReady=0 template=enabled"
                + " services=[app]"),
        Arguments.of(
            "detached template, pods still serving (a Disable broke midway)",
            rs("app-v001").detached().pods(1).serving(2),
            "replicas=3 pods=3 ready=3 serving=2 labeledNotReady=0 template=detached halfDisabled"
                + " services=[app]"),
        Arguments.of(
            "detached template, no pod serving",
            rs("app-v001").detached().pods(2),
            "replicas=2 pods=2 ready=2 serving=0 labeledNotReady=0 template=detached services=[]"),
        Arguments.of(
            "spec.replicas differs from the pods that exist",
            rs("app-v001").replicas(5).serving(2),
            "replicas=5 pods=2 ready=2 serving=2 labeledNotReady=0 template=enabled"
                + " services=[app]"),
        Arguments.of(
            "no pods",
            rs("app-v001").replicas(0),
            "replicas=0 pods=0 ready=0 serving=0 labeledNotReady=0 template=enabled services=[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("versions")
  void whatAVersionsPodsDo(String name, VersionBuilder v, String expected) {
    ClusterBuilder c =
        cluster("app").service("app", Map.of("load-balancer", "app", "track", "stable")).with(v);

    assertThat(counts(only(plan(snapshot(c))).versions().get(0))).isEqualTo(expected);
  }

  @Test
  void podsBelongToAVersionByOwnerUidOnlyNotByTheirLabels() {
    // v001 has no pods of its own; stray pods carry its labels but another owner's uid.
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .with(rs("webapp-v001"), rs("webapp-v002").pods(2).notReady())
            .strayPods(3);

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(version(plan, "webapp-v001").pods()).isZero();
    assertThat(plan.reason()).isEqualTo(ClusterReason.NO_SERVING_VERSION);
  }

  @Test
  void aServiceWithAnEmptySelectorSelectsNothing() {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp", Map.of())
            .with(rs("webapp-v001").serving(2), rs("webapp-v002").serving(2));

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(plan.reason()).isEqualTo(ClusterReason.NO_SERVING_VERSION);
    assertThat(version(plan, "webapp-v002").templateEnabled()).isFalse();
  }

  @Test
  void aServiceTheClusterDoesNotNameDoesNotMakeItsPodsServing() {
    // v002's pods carry only the selector of "other", which exists but no version names.
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .unlistedService("other")
            .with(rs("webapp-v001").serving(2), rs("webapp-v002").serving(2).labeledFor("other"));

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(version(plan, "webapp-v002").serving()).isZero();
    assertThat(plan.keep()).contains("webapp-v001");
  }

  @Test
  void notReadyOrTerminatingPodsDoNotMakeTheNewestVersionTheKeeper() {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .with(
                rs("webapp-v001").serving(2),
                rs("webapp-v002").serving(1).beingDeleted().pods(1).notReady());

    assertThat(describe(only(plan(snapshot(c)))))
        .isEqualTo(
            "CLEANUP STALE_VERSIONS keep=webapp-v001"
                + " | webapp-v001 KEEP NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE");
  }

  static Stream<Arguments> keepers() {
    return Stream.of(
        Arguments.of("fully enabled", rs("webapp-v002").serving(3), false),
        Arguments.of(
            "some pods lack the selector (an Enable broke midway)",
            rs("webapp-v002").serving(2).pods(1).unlabeled(),
            true),
        Arguments.of(
            "the template lacks the selector", rs("webapp-v002").detached().serving(2), true),
        Arguments.of(
            "only a terminating pod lacks the selector",
            rs("webapp-v002").serving(2).pods(1).unlabeled().beingDeleted(),
            false),
        Arguments.of(
            "a labeled pod is not Ready yet",
            rs("webapp-v002").serving(2).pods(1).notReady(),
            false));
  }

  @ParameterizedTest(name = "keeper {0}: half enabled = {2}")
  @MethodSource("keepers")
  void aHalfEnabledKeeperIsFlaggedAndWarned(String name, VersionBuilder keeper, boolean half) {
    ClusterBuilder c =
        cluster("webapp")
            .service("webapp")
            .with(rs("webapp-v001").detached().pods(1).serving(1), keeper);

    ClusterPlan plan = only(plan(snapshot(c)));

    assertThat(plan.keep()).contains("webapp-v002");
    assertThat(version(plan, "webapp-v002").halfEnabled()).isEqualTo(half);
    assertThat(plan.warnings().stream().anyMatch(w -> w.contains("half enabled"))).isEqualTo(half);
    // Only the keeper is ever half enabled, whatever the old version's pods look like.
    assertThat(version(plan, "webapp-v001").halfEnabled()).isFalse();
  }
}
