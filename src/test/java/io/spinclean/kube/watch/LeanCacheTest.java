package io.spinclean.kube.watch;

import static io.spinclean.kube.watch.WatchControllerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spinclean.core.Policy;
import io.spinclean.core.Snapshot;
import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.kube.ArticleServer;
import io.spinclean.kube.Scope;
import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.read.SnapshotMapper;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.WatchSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controller's informer caches hold only what the planner and the controller read (issue 11,
 * item 3): no managedFields, no annotation outside Spinnaker's and spinclean's domains (so no
 * {@code kubectl.kubernetes.io/last-applied-configuration}), no container specs or statuses, no
 * volumes; and the snapshots mapped from them are the ones the whole objects give.
 */
class LeanCacheTest {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @RegisterExtension final ArticleServer article = new ArticleServer();
  KubernetesClient client;

  /** Every object of the article carries what real ones carry and the planner does not read. */
  @BeforeEach
  void heavyObjects() {
    client = article.admin().client();
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace("example").list().getItems()) {
      client
          .apps()
          .replicaSets()
          .inNamespace("example")
          .resource(rs)
          .edit(
              r -> {
                heavy(r);
                r.getSpec().getTemplate().getSpec().setVolumes(List.of(volume()));
                return r;
              });
    }
    for (Pod pod : client.pods().inNamespace("example").list().getItems()) {
      client
          .pods()
          .inNamespace("example")
          .resource(pod)
          .edit(
              p -> {
                heavy(p);
                p.getSpec().setVolumes(List.of(volume()));
                return p;
              });
    }
    for (Service svc : client.services().inNamespace("example").list().getItems()) {
      client
          .services()
          .inNamespace("example")
          .resource(svc)
          .edit(
              s -> {
                heavy(s);
                s.getSpec()
                    .setPorts(
                        List.of(new ServicePortBuilder().withPort(80).withName("http").build()));
                return s;
              });
    }
  }

  @Test
  void theCachesHoldOnlyWhatIsReadAndTheSnapshotIsTheWholeObjectsOne() throws Exception {
    Snapshot whole = mappedFromTheServer();
    assertThat(whole.replicaSets()).hasSize(7);
    try (ClusterWatch watch =
        ClusterWatch.start(
            article.admin(), Scope.of("example"), Clock.systemUTC(), key -> {}, message -> {})) {
      await("the article's 7 ReplicaSets listed", () -> replicaSets(watch).size() == 7);

      List<HasMetadata> cached = watch.cached("example");
      assertThat(cached).hasSize(whole.replicaSets().size() + whole.pods().size() + 3);
      for (HasMetadata o : cached) {
        String what = o.getKind() + " " + o.getMetadata().getName();
        ObjectMeta meta = o.getMetadata();
        assertThat(meta.getManagedFields()).as(what + " managedFields").isNullOrEmpty();
        assertThat(annotations(meta).keySet())
            .as(what + " annotations")
            .allMatch(SnapshotMapper::isSpinnakerKey)
            .doesNotContain(LAST_APPLIED, "deployment.kubernetes.io/revision");
        if (o instanceof ReplicaSet rs) {
          assertThat(rs.getSpec().getTemplate().getSpec()).as(what + " pod spec").isNull();
          assertThat(rs.getStatus()).as(what + " status").isNull();
          assertThat(meta.getAnnotations())
              .as(what + " moniker")
              .containsKeys(Annotations.APPLICATION, Annotations.CLUSTER);
        } else if (o instanceof Pod pod) {
          assertThat(pod.getSpec()).as(what + " spec").isNull();
          assertThat(pod.getStatus().getContainerStatuses())
              .as(what + " containerStatuses")
              .isNullOrEmpty();
        } else if (o instanceof Service svc) {
          assertThat(svc.getSpec().getPorts()).as(what + " ports").isNullOrEmpty();
          assertThat(svc.getSpec().getSelector()).as(what + " selector").isNotEmpty();
        }
      }

      Snapshot lean = watch.snapshot("example");
      assertThat(lean.replicaSets()).containsExactlyInAnyOrderElementsOf(whole.replicaSets());
      assertThat(lean.pods()).containsExactlyInAnyOrderElementsOf(whole.pods());
      assertThat(lean.services()).containsExactlyInAnyOrderElementsOf(whole.services());
    }
  }

  /**
   * Deletions do not use the lean copies: the backup written before each DELETE is the ReplicaSet
   * as the executor's fresh read returned it, annotations, containers and volumes included.
   */
  @Test
  void theBackupOfAWatchDeletionIsTheWholeObjectAsTheServerHasIt() throws Exception {
    Map<String, String> documents = new ConcurrentHashMap<>();
    Backup recording =
        new Backup() {
          @Override
          public Optional<String> bundle() {
            return Optional.of("test");
          }

          @Override
          protected void write(String namespace, String name, String document) {
            documents.put(name, document);
          }
        };
    WatchSettings settings =
        new WatchSettings(
            Policy.DEFAULT,
            WatchControllerTest.SETTLE,
            2,
            false,
            OptionalInt.empty(),
            WatchControllerTest.TICK);
    try (Watcher w =
        Watcher.start(
            article.admin(),
            Scope.of("example"),
            settings,
            Clock.systemUTC(),
            new Metrics(),
            d -> {},
            Leadership.inMemory(() -> true),
            e -> {
              throw e;
            },
            message -> {},
            ns -> recording)) {
      assertThat(w.watching()).isTrue();
      await(
          "the four planned deletions",
          () -> !article.exists("webapp-v002") && !article.exists("workers-v006"));
    }
    assertThat(documents.keySet())
        .containsExactlyInAnyOrder(
            "stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");
    assertThat(documents.get("webapp-v002"))
        .contains(
            LAST_APPLIED,
            "deployment.kubernetes.io/revision",
            "image: \"registry.example.com/webapp:002\"",
            "configMap:");
  }

  /** The snapshot as the mapping of the whole objects (what the caches held before) gives it. */
  private Snapshot mappedFromTheServer() {
    return new Snapshot(
        Clock.systemUTC().instant(),
        client.apps().replicaSets().inNamespace("example").list().getItems().stream()
            .map(SnapshotMapper::replicaSet)
            .toList(),
        client.pods().inNamespace("example").list().getItems().stream()
            .map(SnapshotMapper::pod)
            .toList(),
        client.services().inNamespace("example").list().getItems().stream()
            .map(SnapshotMapper::service)
            .toList());
  }

  private static List<ReplicaSet> replicaSets(ClusterWatch watch) {
    List<ReplicaSet> out = new ArrayList<>();
    for (HasMetadata o : watch.cached("example")) {
      if (o instanceof ReplicaSet rs) {
        out.add(rs);
      }
    }
    return out;
  }

  private static Map<String, String> annotations(ObjectMeta meta) {
    return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  /** kubectl apply's copy of the manifest, an unrelated annotation and a managedFields entry. */
  static <T extends HasMetadata> T heavy(T o) {
    ObjectMeta meta = o.getMetadata();
    Map<String, String> annotations = new HashMap<>(annotations(meta));
    annotations.put(LAST_APPLIED, "{\"apiVersion\":\"v1\",\"kind\":\"" + o.getKind() + "\"}");
    annotations.put("deployment.kubernetes.io/revision", "3");
    meta.setAnnotations(annotations);
    meta.setManagedFields(List.of(managedFields()));
    return o;
  }

  static ManagedFieldsEntry managedFields() {
    return new ManagedFieldsEntryBuilder()
        .withManager("kubectl-client-side-apply")
        .withOperation("Update")
        .withApiVersion("v1")
        .withFieldsType("FieldsV1")
        .withNewFieldsV1()
        .addToAdditionalProperties("f:metadata", Map.of("f:labels", Map.of(".", Map.of())))
        .endFieldsV1()
        .build();
  }

  static Volume volume() {
    return new VolumeBuilder()
        .withName("config")
        .withNewConfigMap()
        .withName("app")
        .endConfigMap()
        .build();
  }
}
