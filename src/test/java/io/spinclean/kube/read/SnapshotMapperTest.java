package io.spinclean.kube.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Planner;
import io.spinclean.core.Pod;
import io.spinclean.core.Policy;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotMapperTest {
  static final String FORGED = "src/test/resources/kube/forged/pod-webapp-v002-forged.json";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace("example").build();
  }

  private static OwnerReference owner(String uid, Boolean controller) {
    return new OwnerReferenceBuilder()
        .withKind("Deployment")
        .withName("d")
        .withUid(uid)
        .withController(controller)
        .build();
  }

  @Test
  void replicaSetKeepsWhatThePlannerReads() {
    var rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName("web-v002")
            .withNamespace("example")
            .withUid("u-2")
            .withResourceVersion("42")
            .withCreationTimestamp("2026-11-25T14:02:00Z")
            .withLabels(Map.of("app", "web"))
            .withAnnotations(
                Map.of(
                    "moniker.spinnaker.io/application", "web",
                    "artifact.spinnaker.io/version", "v002",
                    "traffic.spinnaker.io/load-balancers", "[\"service web\"]",
                    "spinclean.io/protect", "true",
                    "kubectl.kubernetes.io/last-applied-configuration", "{...a whole manifest...}",
                    "deployment.kubernetes.io/revision", "3"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewSelector()
            .withMatchLabels(Map.of("app", "web"))
            .addNewMatchExpression()
            .withKey("version")
            .withOperator("In")
            .withValues("v002")
            .endMatchExpression()
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("load-balancer", "web"))
            .endMetadata()
            .endTemplate()
            .endSpec()
            .build();

    ReplicaSet r = SnapshotMapper.replicaSet(rs);

    assertThat(r)
        .isEqualTo(
            new ReplicaSet(
                "example",
                "web-v002",
                "u-2",
                "42",
                Instant.parse("2026-11-25T14:02:00Z"),
                false,
                false,
                Map.of(
                    "moniker.spinnaker.io/application", "web",
                    "artifact.spinnaker.io/version", "v002",
                    "traffic.spinnaker.io/load-balancers", "[\"service web\"]",
                    "spinclean.io/protect", "true"),
                Map.of("app", "web"),
                Map.of("load-balancer", "web"),
                3,
                new Selector(
                    Map.of("app", "web"),
                    List.of(new Selector.Requirement("version", "In", List.of("v002"))))));
  }

  @Test
  void replicaSetWithNothingButANameGetsKubernetesDefaults() {
    var rs = new ReplicaSetBuilder().withNewMetadata().withName("bare").endMetadata().build();
    rs.getMetadata().setLabels(null);
    rs.getMetadata().setAnnotations(null);
    rs.getMetadata().setOwnerReferences(null);

    ReplicaSet r = SnapshotMapper.replicaSet(rs);

    assertThat(r.namespace()).isEqualTo("default");
    assertThat(r.replicas()).as("spec.replicas defaults to 1").isEqualTo(1);
    assertThat(r.createdAt()).isEqualTo(Instant.EPOCH);
    assertThat(r.labels()).isEmpty();
    assertThat(r.annotations()).isEmpty();
    assertThat(r.templateLabels()).isEmpty();
    assertThat(r.controlled()).isFalse();
    assertThat(r.terminating()).isFalse();
  }

  @Test
  void templateWithoutMetadataHasNoLabels() {
    var rs =
        new ReplicaSetBuilder()
            .withMetadata(meta("a"))
            .withNewSpec()
            .withReplicas(0)
            .withNewTemplate()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(SnapshotMapper.replicaSet(rs).templateLabels()).isEmpty();
    assertThat(SnapshotMapper.replicaSet(rs).replicas()).isZero();
  }

  @ParameterizedTest(name = "owner controller={0} -> controlled={1}")
  @CsvSource({"true, true", "false, false", ", false"})
  void onlyAControllerOwnerMakesAReplicaSetControlled(Boolean controller, boolean controlled) {
    var rs = new ReplicaSetBuilder().withMetadata(meta("a")).build();
    rs.getMetadata().setOwnerReferences(List.of(owner("d-1", controller)));
    assertThat(SnapshotMapper.replicaSet(rs).controlled()).isEqualTo(controlled);
  }

  @Test
  void deletionTimestampMeansTerminating() {
    var rs = new ReplicaSetBuilder().withMetadata(meta("a")).build();
    rs.getMetadata().setDeletionTimestamp("2026-11-25T14:02:00Z");
    var pod = new PodBuilder().withMetadata(meta("p")).build();
    pod.getMetadata().setDeletionTimestamp("2026-11-25T14:02:00Z");

    assertThat(SnapshotMapper.replicaSet(rs).terminating()).isTrue();
    assertThat(SnapshotMapper.pod(pod).terminating()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2020-07-15T01:39:59Z, 2020-07-15T01:39:59Z",
    "2020-07-15T03:39:59+02:00, 2020-07-15T01:39:59Z",
    "2020-07-15T01:39:59.250Z, 2020-07-15T01:39:59.250Z"
  })
  void creationTimestampIsRfc3339(String written, String instant) {
    var rs = new ReplicaSetBuilder().withMetadata(meta("a")).build();
    rs.getMetadata().setCreationTimestamp(written);
    assertThat(SnapshotMapper.replicaSet(rs).createdAt()).isEqualTo(Instant.parse(instant));
  }

  @Test
  void unreadableValuesAreNamed() {
    var rs = new ReplicaSetBuilder().withMetadata(meta("a")).build();
    rs.getMetadata().setCreationTimestamp("yesterday");
    assertThatThrownBy(() -> SnapshotMapper.replicaSet(rs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata.creationTimestamp is not an RFC 3339 time: \"yesterday\"");

    var negative =
        new ReplicaSetBuilder().withMetadata(meta("a")).withNewSpec().withReplicas(-3).endSpec();
    assertThatThrownBy(() -> SnapshotMapper.replicaSet(negative.build()))
        .hasMessage("spec.replicas is negative: -3");

    var nameless = new PodBuilder().withNewMetadata().withNamespace("x").endMetadata().build();
    assertThatThrownBy(() -> SnapshotMapper.pod(nameless)).hasMessage("metadata.name is missing");
  }

  @Test
  void aPodsOwnerIsItsControllingOwnerReferenceOnly() {
    var pod = new PodBuilder().withMetadata(meta("p")).build();
    pod.getMetadata()
        .setOwnerReferences(
            List.of(owner("other-1", null), owner("rs-2", true), owner("other-3", false)));
    var uncontrolled = new PodBuilder().withMetadata(meta("q")).build();
    uncontrolled.getMetadata().setOwnerReferences(List.of(owner("rs-2", false)));

    assertThat(SnapshotMapper.pod(pod).controllerUid()).isEqualTo("rs-2");
    assertThat(SnapshotMapper.pod(pod).namespace()).isEqualTo("example");
    assertThat(SnapshotMapper.pod(uncontrolled).controllerUid()).isEmpty();
  }

  @Test
  void aPodWithTwoControllersOrAControllerWithoutUidCannotBeRead() {
    var two = new PodBuilder().withMetadata(meta("p")).build();
    two.getMetadata().setOwnerReferences(List.of(owner("rs-1", true), owner("rs-2", true)));
    var nameless = new PodBuilder().withMetadata(meta("q")).build();
    nameless.getMetadata().setOwnerReferences(List.of(owner(null, true)));

    assertThatThrownBy(() -> SnapshotMapper.pod(two))
        .hasMessage("metadata.ownerReferences: more than one has controller: true");
    assertThatThrownBy(() -> SnapshotMapper.pod(nameless))
        .hasMessage("metadata.ownerReferences: the controller has no uid");
  }

  /** A selector is kept as written; what cannot be read is kept too, for the planner to refuse. */
  @Test
  void selectorsAreMappedWithoutDroppingATerm() {
    LabelSelector unknown =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app", "web"))
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("Matches")
            .withValues("front.*")
            .endMatchExpression()
            .build();
    Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("app", null);

    assertThat(SnapshotMapper.selector(unknown))
        .isEqualTo(
            new Selector(
                Map.of("app", "web"),
                List.of(new Selector.Requirement("tier", "Matches", List.of("front.*")))));
    assertThat(SnapshotMapper.selector(unknown).problem())
        .contains("matchExpressions operator \"Matches\" is unknown");
    assertThat(SnapshotMapper.selector(null).problem())
        .contains("spec.selector is missing or empty: it would select every pod");
    assertThat(
            SnapshotMapper.selector(new LabelSelectorBuilder().withMatchLabels(nullValue).build()))
        .isEqualTo(Selector.of(Map.of("app", "")));
  }

  @ParameterizedTest(name = "Ready={0}, ContainersReady={1} -> ready={2}")
  @CsvSource({
    "True, True, true",
    "False, True, false",
    "Unknown, True, false",
    ", True, false",
    "True, False, true"
  })
  void readyIsTheReadyCondition(String ready, String containersReady, boolean expected) {
    var status = new PodBuilder().withMetadata(meta("p")).withNewStatus();
    status.addToConditions(
        new PodConditionBuilder().withType("ContainersReady").withStatus(containersReady).build());
    if (ready != null) {
      status.addToConditions(new PodConditionBuilder().withType("Ready").withStatus(ready).build());
    }
    assertThat(SnapshotMapper.pod(status.endStatus().build()).ready()).isEqualTo(expected);
  }

  @Test
  void podWithoutStatusIsNotReadyAndHasNoLabels() {
    var pod = new PodBuilder().withMetadata(meta("p")).build();
    pod.getMetadata().setLabels(null);
    pod.getMetadata().setOwnerReferences(null);

    Pod p = SnapshotMapper.pod(pod);

    assertThat(p.ready()).isFalse();
    assertThat(p.labels()).isEmpty();
    assertThat(p.controllerUid()).isEmpty();
  }

  @Test
  void serviceSelectorIsNullSafe() {
    var with =
        new ServiceBuilder()
            .withMetadata(meta("web"))
            .withNewSpec()
            .withSelector(Map.of("load-balancer", "web"))
            .endSpec()
            .build();
    var without = new ServiceBuilder().withMetadata(meta("manual")).build();

    assertThat(SnapshotMapper.service(with))
        .isEqualTo(new Service("example", "web", Map.of("load-balancer", "web")));
    assertThat(SnapshotMapper.service(without).selector()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "moniker.spinnaker.io/cluster, true",
    "traffic.spinnaker.io/load-balancers, true",
    "spinnaker.io/x, true",
    "spinclean.io/protect, true",
    "kubectl.kubernetes.io/last-applied-configuration, false",
    "notspinnaker.io/x, false",
    "moniker.spinnaker.io.evil.com/x, false",
    "no-prefix, false"
  })
  void onlySpinnakerAndSpincleanAnnotationsAreKept(String key, boolean kept) {
    assertThat(SnapshotMapper.isSpinnakerKey(key)).isEqualTo(kept);
  }

  /**
   * Issue 10, High #2: a Ready pod carrying the Service's and webapp-v002's labels, whose only
   * ownerReference names webapp-v002 without {@code controller: true}, is not webapp-v002's pod. It
   * once made the failed candidate look serving: "keep webapp-v002, DELETE webapp-v001".
   */
  @Test
  void aPodThatDoesNotControllinglyBelongToTheCandidateDoesNotMakeItServe() throws Exception {
    Snapshot withForged =
        DumpReader.read(
            List.of(DumpReaderTest.ARTICLE, FORGED), InputStream.nullInputStream(), NOW);

    ClusterPlan webapp =
        new Planner(Policy.DEFAULT.withApplications(Set.of("webapp")))
            .plan(withForged)
            .clusters()
            .get(0);

    assertThat(webapp.keep()).contains("webapp-v001");
    assertThat(webapp.versions())
        .extracting(v -> v.name() + " " + v.action())
        .containsExactly("webapp-v001 KEEP", "webapp-v002 DELETE");
  }
}
