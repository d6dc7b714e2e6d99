package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.podPath;
import static io.spinclean.kube.apply.ApplyFixture.rsPath;
import static io.spinclean.kube.apply.ApplyFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code apply --drain}: versions are taken out of their Services the way Spinnaker's Disable does
 * (docs/spinnaker-semantics.md#traffic) before they are deleted, and a pod that vanishes midway
 * does not stop it.
 */
class DrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApplyOptions DRAIN_30S =
      ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(30));

  private ApplyFixture fx;
  private Plan shown;

  @BeforeEach
  void start() throws Exception {
    fx = new ApplyFixture();
    shown = fx.article();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void disablesTemplateThenEachPodThenDeletes() throws Exception {
    String freshVersion = fx.replicaSet("stream-consumer-v003").getMetadata().getResourceVersion();
    String uid = fx.replicaSet("stream-consumer-v003").getMetadata().getUid();
    String podUid = fx.pod("stream-consumer-v003-h5v9b").getMetadata().getUid();

    ApplyReport report = fx.executor(DRAIN_30S).execute(shown);

    List<ApplyFixture.Call> writes = fx.writes();
    assertThat(writes)
        .extracting(ApplyFixture.Call::toString)
        .containsExactly(
            "PATCH " + rsPath("stream-consumer-v003"),
            "PATCH " + podPath("stream-consumer-v003-h5v9b"),
            "PATCH " + podPath("stream-consumer-v003-m3r7f"),
            "DELETE " + rsPath("stream-consumer-v003"),
            "PATCH " + rsPath("webapp-v002"),
            "PATCH " + podPath("webapp-v002-k2j8w"),
            "PATCH " + podPath("webapp-v002-p4n6z"),
            "DELETE " + rsPath("webapp-v002"),
            "DELETE " + rsPath("workers-v005"),
            // workers-v006: a Disable broke midway, its template is already detached
            "PATCH " + podPath("workers-v006-g2w9q"),
            "PATCH " + podPath("workers-v006-r5t8v"),
            "DELETE " + rsPath("workers-v006"));
    assertThat(writes.stream().filter(w -> w.method().equals("PATCH")))
        .allSatisfy(w -> assertThat(w.contentType()).startsWith("application/json-patch+json"));
    assertThat(writes.get(0).body())
        .isEqualTo(
            "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\""
                + uid
                + "\"},{\"op\":\"replace\",\"path\":"
                + "\"/metadata/resourceVersion\",\"value\":\""
                + freshVersion
                + "\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/template/metadata/labels/load-balancer\"}]");
    // A pod patch applies only to the pod that was looked at, never to a namesake made since.
    assertThat(writes.get(1).body()).isEqualTo(removeLabel(podUid));
    // The delete's precondition is the version our own patch produced, not the stale one.
    JsonNode delete = JSON.readTree(writes.get(3).body());
    assertThat(delete.path("preconditions").path("resourceVersion").asString())
        .isNotEqualTo(freshVersion);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome, DeletionResult::drained)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED, true),
            tuple("webapp-v002", Outcome.DELETED, true),
            tuple("workers-v005", Outcome.DELETED, false),
            tuple("workers-v006", Outcome.DELETED, true));
    assertThat(report.results().get(0).detail())
        .isEqualTo("drained: removed the selector labels from the pod template and 2 pods");
    assertThat(fx.sleeper.sleeps()).isEmpty();
    // The garbage collector took the drained pods; the kept version's pods still serve.
    assertThat(fx.podsOf("stream-consumer-v003")).isEmpty();
    assertThat(fx.podsOf("stream-consumer-v004"))
        .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsKey("load-balancer"));
  }

  @Test
  void aPodThatVanishesMidDrainIsSkippedAndThePodsAfterItAreStillDisabled() throws Exception {
    SnapshotSource fresh =
        fx.readThenChange(
            () -> {
              fx.admin.resource(fx.pod("workers-v006-g2w9q")).delete();
              // keeps the pod after it past the garbage collector, to look at its labels
              hold("workers-v006-r5t8v");
            });

    ApplyReport report = fx.executor(fresh, DRAIN_30S).execute(shown);

    assertThat(report.results().get(3).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(report.results().get(3).detail()).contains("1 pod vanished");
    // Where Spinnaker's Disable stops, the pod after the vanished one is still disabled.
    assertThat(fx.pod("workers-v006-r5t8v").getMetadata().getLabels())
        .doesNotContainKey("load-balancer");
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .containsSubsequence(
            "PATCH " + podPath("workers-v006-g2w9q"),
            "GET " + podsOf("workers", "v006"),
            "PATCH " + podPath("workers-v006-r5t8v"),
            "DELETE " + rsPath("workers-v006"));
  }

  @Test
  void aVersionChangedAfterTheFreshReadIsNeitherDrainedNorDeleted() throws Exception {
    SnapshotSource fresh =
        fx.readThenChange(
            () ->
                fx.admin
                    .apps()
                    .replicaSets()
                    .inNamespace(ApplyFixture.NS)
                    .withName("stream-consumer-v003")
                    .edit(
                        rs -> {
                          rs.getMetadata().getAnnotations().put("touched-by", "someone else");
                          return rs;
                        }));

    ApplyReport report = fx.executor(fresh, DRAIN_30S).execute(shown);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.SKIPPED_CHANGED);
    assertThat(report.results().get(0).detail()).contains("409");
    assertThat(
            fx.replicaSet("stream-consumer-v003").getSpec().getTemplate().getMetadata().getLabels())
        .containsKey("load-balancer");
    assertThat(fx.podsOf("stream-consumer-v003"))
        .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsKey("load-balancer"));
    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.SKIPPED_CHANGED, Outcome.DELETED, Outcome.DELETED, Outcome.DELETED);
  }

  /**
   * Issue 10, item 11: a pod replaced under the same name after the fresh read (here by a pod of
   * the kept version) is never patched: the patch tests the uid that was read.
   */
  @Test
  void aPodReplacedUnderTheSameNameIsNotPatched() throws Exception {
    String v004 = fx.replicaSet("stream-consumer-v004").getMetadata().getUid();
    SnapshotSource fresh =
        fx.readThenChange(
            () -> {
              var old = fx.pod("stream-consumer-v003-h5v9b");
              fx.admin.resource(old).delete();
              var namesake =
                  new PodBuilder(old)
                      .editMetadata()
                      .withUid(null)
                      .withResourceVersion(null)
                      .withLabels(
                          Map.of(
                              "app",
                              "stream-consumer",
                              "version",
                              "v004",
                              "load-balancer",
                              "stream-consumer"))
                      .editFirstOwnerReference()
                      .withName("stream-consumer-v004")
                      .withUid(v004)
                      .endOwnerReference()
                      .endMetadata()
                      .build();
              fx.admin.resource(namesake).create();
            });

    ApplyReport report = fx.executor(fresh, DRAIN_30S).execute(shown);

    assertThat(fx.pod("stream-consumer-v003-h5v9b").getMetadata().getLabels())
        .containsEntry("load-balancer", "stream-consumer");
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(report.results().get(0).detail())
        .isEqualTo("drained: removed the selector labels from the pod template and 1 pod");
  }

  @Test
  void aPodPatchThatKeepsFailingStopsTheRunWithTheVersionNotDeleted() throws Exception {
    fx.server
        .expect()
        .patch()
        .withPath(podPath("stream-consumer-v003-m3r7f"))
        .andReturn(503, status(503, "ServiceUnavailable", "etcd leader changed"))
        .always();

    ApplyReport report = fx.executor(DRAIN_30S).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(report.results().get(0).detail())
        .startsWith("cannot patch pods in namespace example: ")
        .contains("503")
        .contains("example/stream-consumer-v003 is partly drained and not deleted");
    assertThat(fx.replicaSetNames()).hasSize(7);
    assertThat(fx.writes()).extracting(ApplyFixture.Call::method).doesNotContain("DELETE");
  }

  @Test
  void aTemplatePatchTheServerRejectsFailsWithItsReason() throws Exception {
    // e.g. a Service selector key that is also in the ReplicaSet's own selector (Spinnaker #4830)
    fx.server
        .expect()
        .patch()
        .withPath(rsPath("stream-consumer-v003"))
        .andReturn(
            422,
            status(
                422,
                "Invalid",
                "ReplicaSet.apps \\\"stream-consumer-v003\\\" is"
                    + " invalid: spec.template.metadata.labels: Invalid value: selector does not match"
                    + " template labels"))
        .once();

    ApplyReport report = fx.executor(DRAIN_30S).execute(shown);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().get(0).detail())
        .startsWith("cannot patch replicasets in namespace example: ")
        .contains("selector does not match template labels");
    assertThat(fx.writes()).extracting(ApplyFixture.Call::method).containsExactly("PATCH");
  }

  @Test
  void podsThatKeepServingAreWaitedForNoLongerThanTheDrainThenDeleted() throws Exception {
    // A pod whose label comes back as fast as it is removed (say, a concurrent Enable).
    fx.server
        .expect()
        .patch()
        .withPath(podPath("stream-consumer-v003-h5v9b"))
        .andReturn(200, "{}")
        .always();
    ApplyOptions drain5s = ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(5));

    ApplyReport report = fx.executor(drain5s).execute(shown);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(report.results().get(0).detail()).endsWith("1 pod still serving after --drain 5s");
    assertThat(fx.sleeper.slept()).isEqualTo(Duration.ofSeconds(5));
    assertThat(fx.sleeper.sleeps())
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Drainer.POLL));
    assertThat(fx.replicaSetNames()).doesNotContain("stream-consumer-v003");
  }

  @Test
  void aSelectorKeyWithASlashIsRemovedThroughAnEscapedPointer() throws Exception {
    try (ApplyFixture own = new ApplyFixture()) {
      own.selectorKey = "traffic.example.com/lb";
      own.service("shop");
      var old = own.version("shop", 1, ApplyFixture.Template.ENABLED);
      own.pod(old, "a1", ApplyFixture.Readiness.READY, ApplyFixture.Traffic.LABELED);
      // keeps it past the garbage collector, to look at its labels
      own.admin
          .pods()
          .inNamespace(ApplyFixture.NS)
          .withName("shop-v001-a1")
          .edit(
              p ->
                  new PodBuilder(p)
                      .editMetadata()
                      .addToFinalizers("example.com/hold")
                      .endMetadata()
                      .build());
      var current = own.version("shop", 2, ApplyFixture.Template.ENABLED);
      own.pod(current, "b1", ApplyFixture.Readiness.READY, ApplyFixture.Traffic.LABELED);
      Plan plan = own.plan();
      own.forgetRequests();

      ApplyReport report = own.executor(DRAIN_30S).execute(plan);

      assertThat(report.results())
          .extracting(DeletionResult::name, DeletionResult::outcome)
          .containsExactly(tuple("shop-v001", Outcome.DELETED));
      List<ApplyFixture.Call> writes = own.writes();
      assertThat(writes.get(0).body())
          .contains("\"path\":\"/spec/template/metadata/labels/traffic.example.com~1lb\"");
      assertThat(writes.get(1).body())
          .isEqualTo(
              "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\""
                  + own.pod("shop-v001-a1").getMetadata().getUid()
                  + "\"},{\"op\":\"remove\",\"path\":\"/metadata/labels/traffic.example.com~1lb\"}]");
      assertThat(own.pod("shop-v001-a1").getMetadata().getLabels())
          .doesNotContainKey("traffic.example.com/lb");
      assertThat(own.pod("shop-v002-b1").getMetadata().getLabels())
          .containsKey("traffic.example.com/lb");
    }
  }

  @Test
  void pollsListTheVersionsPodsBySelectorAndWaitOnlyForThoseItOwns() throws Exception {
    // Carries stream-consumer-v003's selector labels, and the traffic label, and is Ready: but
    // it is v004's pod (say, a label copied by hand). The label selector returns it; the owner
    // filter must drop it, or the drain would take a pod of the kept version out of the Service.
    String v004 = fx.replicaSet("stream-consumer-v004").getMetadata().getUid();
    fx.admin
        .pods()
        .inNamespace(ApplyFixture.NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("lookalike")
                .addToLabels(
                    Map.of(
                        "app",
                        "stream-consumer",
                        "version",
                        "v003",
                        "load-balancer",
                        "stream-consumer"))
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("stream-consumer-v004")
                .withUid(v004)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
    assertThat(
            fx.admin
                .pods()
                .inNamespace(ApplyFixture.NS)
                .withLabels(Map.of("app", "stream-consumer", "version", "v003"))
                .list()
                .getItems())
        .extracting(p -> p.getMetadata().getName())
        .contains("lookalike");
    fx.forgetRequests();

    ApplyReport report = fx.executor(DRAIN_30S).execute(shown);

    List<String> calls = fx.calls().stream().map(ApplyFixture.Call::toString).toList();
    // The ReplicaSet's own selector, without the Service's key that the drain removes.
    assertThat(calls)
        .contains("GET " + podsOf("stream-consumer", "v003"))
        .noneMatch(
            c ->
                c.startsWith("GET /api/v1/namespaces/example/pods?") && c.contains("load-balancer"))
        .doesNotContain("PATCH " + podPath("lookalike"));
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.DELETED);
    assertThat(report.results().get(0).detail())
        .isEqualTo("drained: removed the selector labels from the pod template and 2 pods");
    assertThat(fx.sleeper.sleeps()).isEmpty();
    assertThat(fx.pod("lookalike").getMetadata().getLabels()).containsKey("load-balancer");
  }

  @Test
  void podsThatLackALabelAddedToTheTemplateLaterAreStillWaitedFor() throws Exception {
    // The template gained a label after the pods were made: a selector made of the template's
    // labels would not see them. The ReplicaSet's spec.selector does.
    fx.admin
        .apps()
        .replicaSets()
        .inNamespace(ApplyFixture.NS)
        .withName("stream-consumer-v003")
        .edit(
            rs -> {
              rs.getSpec().getTemplate().getMetadata().getLabels().put("tier", "backend");
              return rs;
            });
    // A pod whose traffic label comes back as fast as it is removed (a concurrent Enable).
    fx.server
        .expect()
        .patch()
        .withPath(podPath("stream-consumer-v003-h5v9b"))
        .andReturn(200, "{}")
        .always();
    fx.forgetRequests();

    ApplyReport report =
        fx.executor(ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(3))).execute(shown);

    assertThat(report.results().get(0).detail()).endsWith("1 pod still serving after --drain 3s");
    assertThat(fx.sleeper.slept()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .contains("GET " + podsOf("stream-consumer", "v003"));
  }

  @Test
  void aDetachedVersionDeletedBeforeItsDrainIsAlreadyGoneAndItsPodsAreLeftAlone() throws Exception {
    // workers-v006's template is already detached, so the drain looks its selector up by name.
    SnapshotSource fresh =
        fx.readThenChange(
            () ->
                fx.admin
                    .resource(fx.replicaSet("workers-v006"))
                    .withPropagationPolicy(DeletionPropagation.ORPHAN) // its pods stay
                    .delete());

    ApplyReport report = fx.executor(fresh, DRAIN_30S).execute(shown);

    assertThat(report.results().get(3).outcome()).isEqualTo(Outcome.ALREADY_GONE);
    assertThat(report.results().get(3).detail())
        .isEqualTo("deleted by someone else before the drain");
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .endsWith(
            "GET /apis/apps/v1/namespaces/example/replicasets"
                + "?fieldSelector=metadata.name%3Dworkers-v006");
    assertThat(fx.pod("workers-v006-g2w9q").getMetadata().getLabels()).containsKey("load-balancer");
  }

  @Test
  void aDetachedVersionReplacedBeforeItsDrainIsSkippedAndItsPodsAreLeftAlone() throws Exception {
    SnapshotSource fresh =
        fx.readThenChange(
            () -> {
              var old = fx.replicaSet("workers-v006");
              fx.admin.resource(old).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
              old.getMetadata().setUid(null);
              old.getMetadata().setResourceVersion(null);
              fx.admin.resource(old).create();
            });

    ApplyReport report = fx.executor(fresh, DRAIN_30S).execute(shown);

    assertThat(report.results().get(3).outcome()).isEqualTo(Outcome.SKIPPED_CHANGED);
    assertThat(report.results().get(3).detail())
        .startsWith("replaced since the fresh snapshot")
        .endsWith("not drained, not deleted");
    assertThat(fx.replicaSetNames()).contains("workers-v006");
    assertThat(fx.pod("workers-v006-g2w9q").getMetadata().getLabels()).containsKey("load-balancer");
  }

  @Test
  void selectorKeysAreEscapedAsJsonPointerTokens() {
    assertThat(LabelPatch.escape("load-balancer")).isEqualTo("load-balancer");
    assertThat(LabelPatch.escape("traffic.example.com/lb")).isEqualTo("traffic.example.com~1lb");
    assertThat(LabelPatch.escape("a~b/c")).isEqualTo("a~0b~1c");
  }

  /** A finalizer (say, a log shipper's) keeps the pod, terminating, past the garbage collector. */
  private void hold(String pod) {
    fx.admin
        .pods()
        .inNamespace(ApplyFixture.NS)
        .withName(pod)
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToFinalizers("example.com/hold")
                    .endMetadata()
                    .build());
  }

  /** A pod's label patch: a uid test, then the removal. */
  private static String removeLabel(String uid) {
    return "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\""
        + uid
        + "\"},{\"op\":\"remove\",\"path\":\"/metadata/labels/load-balancer\"}]";
  }

  /** The drain's poll: the version's pods by its ReplicaSet's matchLabels, paged. */
  private static String podsOf(String app, String version) {
    return "/api/v1/namespaces/example/pods?labelSelector=app%3D"
        + app
        + "%2Cversion%3D"
        + version
        + "&limit=500";
  }
}
