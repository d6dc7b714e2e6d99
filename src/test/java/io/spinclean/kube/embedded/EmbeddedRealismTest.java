package io.spinclean.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.watch.WatchControllerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What the embedded API server does as a Kubernetes API server and its controllers do, where
 * spinclean's safety depends on it: delete preconditions (409 with a Status), the garbage
 * collector's cascades, and the ReplicaSet controller's {@code status.observedGeneration} write.
 */
class EmbeddedRealismTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "shop";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private EmbeddedApiServer api;
  private KubeConnection conn;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    api = EmbeddedApiServer.start();
    conn = api.connect(NS);
    client = conn.client();
  }

  @AfterEach
  void stop() {
    conn.close();
    api.close();
  }

  private ReplicaSet replicaSet(String name) {
    return client
        .apps()
        .replicaSets()
        .inNamespace(NS)
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .addToLabels("load-balancer", "shop")
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** A controller's reference blocks its owner's foreground deletion, as the RS controller sets. */
  private static OwnerReference ref(ReplicaSet owner, boolean controller) {
    return new OwnerReferenceBuilder()
        .withBlockOwnerDeletion(controller)
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(controller)
        .build();
  }

  private Pod pod(String name, List<String> finalizers, OwnerReference... owners) {
    return client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", "x")
                .withOwnerReferences(owners)
                .withFinalizers(finalizers)
                .endMetadata()
                .build())
        .create();
  }

  private Pod pod(String name, OwnerReference... owners) {
    return pod(name, List.of(), owners);
  }

  private Pod getPod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private ReplicaSet getReplicaSet(String name) {
    return client.apps().replicaSets().inNamespace(NS).withName(name).get();
  }

  /** DELETE with a DeleteOptions body, as spinclean and kubectl send it. */
  private HttpResponse<String> delete(String name, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(api.url() + "/apis/apps/v1/namespaces/" + NS + "/replicasets/" + name))
            .header("Content-Type", "application/json")
            .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String options(String preconditions, String policy) {
    return "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\""
        + (preconditions.isEmpty() ? "" : ",\"preconditions\":{" + preconditions + "}")
        + (policy.isEmpty() ? "" : ",\"propagationPolicy\":\"" + policy + "\"")
        + "}";
  }

  @Test
  void aDeleteWhoseUidPreconditionFailsIsAConflictWithTheServersStatusAndDeletesNothing()
      throws Exception {
    ReplicaSet rs = replicaSet("web-v001");
    pod("web-v001-a", ref(rs, true));
    String uid = rs.getMetadata().getUid();

    HttpResponse<String> answer =
        delete("web-v001", options("\"uid\":\"11111111-0000-0000-0000-000000000000\"", ""));

    assertThat(answer.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(answer.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Operation cannot be fulfilled on ReplicaSet.apps"
                    + " \\\"web-v001\\\": the UID in the precondition"
                    + " (11111111-0000-0000-0000-000000000000) does not match the UID in record ("
                    + uid
                    + "). The object might have been deleted and then recreated\","
                    + "\"reason\":\"Conflict\",\"details\":{\"name\":\"web-v001\",\"group\":\"apps\","
                    + "\"kind\":\"ReplicaSet\"},\"code\":409}"));
    assertThat(getReplicaSet("web-v001").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(getPod("web-v001-a")).isNotNull();
  }

  @Test
  void aDeleteWhoseResourceVersionPreconditionFailsIsAConflict() throws Exception {
    ReplicaSet rs = replicaSet("web-v001");
    String stale = rs.getMetadata().getResourceVersion();
    ReplicaSet edited =
        client
            .apps()
            .replicaSets()
            .inNamespace(NS)
            .withName("web-v001")
            .edit(
                r ->
                    new ReplicaSetBuilder(r)
                        .editMetadata()
                        .addToLabels("x", "y")
                        .endMetadata()
                        .build());
    String now = edited.getMetadata().getResourceVersion();

    HttpResponse<String> answer =
        delete(
            "web-v001",
            options(
                "\"uid\":\""
                    + rs.getMetadata().getUid()
                    + "\",\"resourceVersion\":\""
                    + stale
                    + "\"",
                "Background"));

    assertThat(answer.statusCode()).isEqualTo(409);
    JsonNode status = JSON.readTree(answer.body());
    assertThat(status.path("reason").asString()).isEqualTo("Conflict");
    assertThat(status.path("message").asString())
        .isEqualTo(
            "Operation cannot be fulfilled on ReplicaSet.apps \"web-v001\": the ResourceVersion in"
                + " the precondition ("
                + stale
                + ") does not match the ResourceVersion in record ("
                + now
                + "). The object might have been modified");
    assertThat(getReplicaSet("web-v001")).isNotNull();
  }

  /**
   * Optimistic concurrency on a write, which LeaderWritesTest's takeover relies on: a PUT whose
   * {@code metadata.resourceVersion} is not the stored one is refused (409) and changes nothing; a
   * PUT without one is an unconditional update, as Kubernetes allows for most kinds.
   */
  @Test
  void aPutWithAStaleResourceVersionIsAConflictAndOneWithoutIsApplied() throws Exception {
    ReplicaSet read = replicaSet("web-v001");
    client
        .apps()
        .replicaSets()
        .inNamespace(NS)
        .withName("web-v001")
        .edit(
            r ->
                new ReplicaSetBuilder(r)
                    .editMetadata()
                    .addToLabels("x", "1")
                    .endMetadata()
                    .build());

    ReplicaSet stale =
        new ReplicaSetBuilder(read).editMetadata().addToLabels("x", "2").endMetadata().build();
    HttpResponse<String> refused = put("web-v001", JSON.writeValueAsString(stale));

    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode status = JSON.readTree(refused.body());
    assertThat(status.path("kind").asString()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(409);
    assertThat(getReplicaSet("web-v001").getMetadata().getLabels()).containsEntry("x", "1");

    ReplicaSet unconditional =
        new ReplicaSetBuilder(stale).editMetadata().withResourceVersion(null).endMetadata().build();
    HttpResponse<String> applied = put("web-v001", JSON.writeValueAsString(unconditional));

    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(getReplicaSet("web-v001").getMetadata().getLabels()).containsEntry("x", "2");
  }

  private HttpResponse<String> put(String name, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(api.url() + "/apis/apps/v1/namespaces/" + NS + "/replicasets/" + name))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDeleteWhosePreconditionsHoldDeletes() throws Exception {
    replicaSet("web-v001");
    api.awaitControllers();
    ReplicaSet rs = getReplicaSet("web-v001");

    HttpResponse<String> answer =
        delete(
            "web-v001",
            options(
                "\"uid\":\""
                    + rs.getMetadata().getUid()
                    + "\",\"resourceVersion\":\""
                    + rs.getMetadata().getResourceVersion()
                    + "\"",
                "Background"));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(getReplicaSet("web-v001")).isNull();
  }

  @Test
  void aBackgroundDeleteCollectsThePodsItControlsWithDeletedEvents() throws Exception {
    ReplicaSet web = replicaSet("web-v001");
    ReplicaSet other = replicaSet("web-v002");
    pod("web-v001-a", ref(web, true));
    pod("web-v001-b", ref(web, true));
    pod("web-v002-a", ref(other, true));
    // a second owner that still exists keeps it: the collector only drops the reference
    pod("shared", ref(other, true), ref(web, false));
    List<String> events = new CopyOnWriteArrayList<>();
    Watch watch = client.pods().inNamespace(NS).watch(recorder(events));
    try {
      HttpResponse<String> answer = delete("web-v001", "");

      assertThat(answer.statusCode()).isEqualTo(200);
      WatchControllerTest.await("pod events", () -> events.size() >= 4 + 3);
    } finally {
      watch.close();
    }
    assertThat(getReplicaSet("web-v001")).isNull();
    assertThat(getPod("web-v001-a")).isNull();
    assertThat(getPod("web-v001-b")).isNull();
    assertThat(getPod("web-v002-a")).isNotNull();
    assertThat(getPod("shared").getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly(other.getMetadata().getUid());
    assertThat(events.subList(4, events.size()))
        .containsExactlyInAnyOrder("DELETED web-v001-a", "DELETED web-v001-b", "MODIFIED shared");
  }

  @Test
  void aForegroundDeleteHoldsTheOwnerUntilItsPodsAreGone() throws Exception {
    ReplicaSet web = replicaSet("web-v001");
    pod("web-v001-a", ref(web, true));
    pod("web-v001-b", List.of("example.com/hold"), ref(web, true));

    HttpResponse<String> answer = delete("web-v001", options("", "Foreground"));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(getPod("web-v001-a")).isNull();
    assertThat(getPod("web-v001-b").getMetadata().getDeletionTimestamp()).isNotNull();
    ReplicaSet held = getReplicaSet("web-v001");
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(held.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

    client
        .pods()
        .inNamespace(NS)
        .withName("web-v001-b")
        .edit(p -> new PodBuilder(p).editMetadata().withFinalizers().endMetadata().build());

    assertThat(getPod("web-v001-b")).isNull();
    assertThat(getReplicaSet("web-v001")).isNull();
  }

  @Test
  void aForegroundDeleteWithoutPodsLeftDeletesTheOwnerAtOnce() throws Exception {
    ReplicaSet web = replicaSet("web-v001");
    pod("web-v001-a", ref(web, true));

    delete("web-v001", options("", "Foreground"));

    assertThat(getPod("web-v001-a")).isNull();
    assertThat(getReplicaSet("web-v001")).isNull();
  }

  @Test
  void anOrphanDeleteLeavesThePodsWithoutTheReference() throws Exception {
    ReplicaSet web = replicaSet("web-v001");
    pod("web-v001-a", ref(web, true));

    HttpResponse<String> answer = delete("web-v001", options("", "Orphan"));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(getReplicaSet("web-v001")).isNull();
    assertThat(getPod("web-v001-a").getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void aSpecChangeBumpsTheGenerationAndTheControllerThenWritesObservedGeneration()
      throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Watch watch = client.apps().replicaSets().inNamespace(NS).watch(rsRecorder(events));
    try {
      ReplicaSet created = replicaSet("web-v001");
      assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
      api.awaitControllers();
      ReplicaSet observed = getReplicaSet("web-v001");
      assertThat(observed.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(observed.getMetadata().getResourceVersion())
          .isNotEqualTo(created.getMetadata().getResourceVersion());

      ReplicaSet labeled =
          client
              .apps()
              .replicaSets()
              .inNamespace(NS)
              .withName("web-v001")
              .patch(
                  PatchContext.of(PatchType.JSON),
                  "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}}]");
      assertThat(labeled.getMetadata().getGeneration()).isEqualTo(1L);

      ReplicaSet patched =
          client
              .apps()
              .replicaSets()
              .inNamespace(NS)
              .withName("web-v001")
              .patch(
                  PatchContext.of(PatchType.JSON),
                  "[{\"op\":\"remove\",\"path\":\"/spec/template/metadata/labels/load-balancer\"}]");
      assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
      assertThat(patched.getStatus().getObservedGeneration()).isEqualTo(1L);
      api.awaitControllers();
      ReplicaSet after = getReplicaSet("web-v001");
      assertThat(after.getStatus().getObservedGeneration()).isEqualTo(2L);
      assertThat(Long.parseLong(after.getMetadata().getResourceVersion()))
          .isGreaterThan(Long.parseLong(patched.getMetadata().getResourceVersion()));
      WatchControllerTest.await("5 events", () -> events.size() >= 5);
    } finally {
      watch.close();
    }
    assertThat(events)
        .containsExactly(
            "ADDED web-v001 generation 1 observed null",
            "MODIFIED web-v001 generation 1 observed 1",
            "MODIFIED web-v001 generation 1 observed 1",
            "MODIFIED web-v001 generation 2 observed 1",
            "MODIFIED web-v001 generation 2 observed 2");
  }

  private static Watcher<Pod> recorder(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod p) {
        events.add(action + " " + p.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static Watcher<ReplicaSet> rsRecorder(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ReplicaSet r) {
        List<String> parts = new ArrayList<>();
        parts.add(action.name());
        parts.add(r.getMetadata().getName());
        parts.add("generation " + r.getMetadata().getGeneration());
        parts.add(
            "observed " + (r.getStatus() == null ? null : r.getStatus().getObservedGeneration()));
        events.add(String.join(" ", parts));
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
