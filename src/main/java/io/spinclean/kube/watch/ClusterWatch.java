package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.spinclean.core.ApiException;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.read.SnapshotMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Informers on ReplicaSets, Pods and Services of a {@link Scope}: one watch per kind (per
 * namespace, or cluster-wide with {@code -A}), no polling. Every event is turned into the Spinnaker
 * clusters it touches ({@link ClusterRouter}): a ReplicaSet's own (from its moniker annotations,
 * before and after the change), a Pod's owner's (through an index of ReplicaSet uid to cluster),
 * every cluster of a Service's namespace. fabric8's informers recover by themselves: a watch the
 * server ends (as it does when {@code timeoutSeconds} runs out) is opened again from the last
 * resourceVersion after the client's watch reconnect interval (1 s, doubling while attempts fail,
 * reset once one opens); after 410 Gone they list again (WatchFaultTest).
 *
 * <p>Invariant: {@link #snapshot} reads the informer caches only (no request) and maps them through
 * {@link SnapshotMapper}, as {@code plan} does with a live read. The caches hold lean copies
 * ({@link LeanCopy}: what the mapper and the handlers read, no managedFields, other annotations or
 * containers), so nothing may delete or back up from them: the executor reads afresh.
 */
public final class ClusterWatch implements AutoCloseable {
  private final KubernetesClient client;
  private final Scope scope;
  private final Clock clock;
  private final ClusterRouter router;
  private final Map<String, List<SharedIndexInformer<?>>> byNamespace = new HashMap<>();
  private WatchHealth health;
  private final List<SharedIndexInformer<ReplicaSet>> replicaSets = new ArrayList<>();
  private final List<SharedIndexInformer<Pod>> pods = new ArrayList<>();
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();

  /** Bumped on every informer event of a namespace, after the informer's cache changed. */
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

  /** The last mapped snapshot of each namespace, valid while its generation is unchanged. */
  private final Map<String, Mapped> mapped = new ConcurrentHashMap<>();

  /** A namespace mapped once: every cluster of it is planned from the same lists. */
  private record Mapped(long generation, Snapshot snapshot) {}

  private ClusterWatch(
      KubernetesClient client, Scope scope, Clock clock, Consumer<ClusterKey> listener) {
    this.client = client;
    this.scope = scope;
    this.clock = clock;
    this.router = new ClusterRouter(listener);
  }

  /**
   * Starts the informers and waits until each has listed its objects once.
   *
   * @param listener told about each cluster an event touches, on an informer thread
   * @param log told when the informers of a namespace stop watching for long, and are back
   * @throws ApiException a first list failed (e.g. no permission to list or watch)
   */
  public static ClusterWatch start(
      KubeConnection connection,
      Scope scope,
      Clock clock,
      Consumer<ClusterKey> listener,
      Consumer<String> log)
      throws ApiException {
    ClusterWatch watch =
        new ClusterWatch(
            connection.client(),
            Objects.requireNonNull(scope),
            Objects.requireNonNull(clock),
            Objects.requireNonNull(listener));
    Objects.requireNonNull(log);
    try {
      watch.inform();
      watch.health = new WatchHealth(watch.byNamespace, clock, log);
    } catch (ApiException | RuntimeException e) {
      watch.close();
      throw e;
    }
    return watch;
  }

  private void inform() throws ApiException {
    List<String> namespaces = scope.allNamespaces() ? null : scope.namespaces();
    for (String ns : namespaces == null ? Collections.<String>singletonList(null) : namespaces) {
      replicaSets.add(
          InformerStart.start(
              client,
              "replicasets",
              ns,
              ns == null
                  ? client.apps().replicaSets().inAnyNamespace()
                  : client.apps().replicaSets().inNamespace(ns),
              LeanCopy::replicaSet,
              handler(router::replicaSetChanged)));
      pods.add(
          InformerStart.start(
              client,
              "pods",
              ns,
              ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
              LeanCopy::pod,
              handler(router::podChanged)));
      services.add(
          InformerStart.start(
              client,
              "services",
              ns,
              ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
              LeanCopy::service,
              handler(router::serviceChanged)));
      int last = replicaSets.size() - 1;
      byNamespace.put(ns, List.of(replicaSets.get(last), pods.get(last), services.get(last)));
    }
  }

  /**
   * The namespace's objects as the informers hold them now. Mapping is done once per change of the
   * namespace, not once per cluster: with thousands of clusters in one namespace, mapping the whole
   * namespace for each would cost clusters x objects (measured: minutes of CPU at 10,000
   * ReplicaSets, docs/controller.md).
   */
  public Snapshot snapshot(String namespace) throws ApiException {
    // Read before mapping: an event during the mapping bumps it, and the next call maps again.
    long generation = generation(namespace).get();
    Mapped last = mapped.get(namespace);
    if (last != null && last.generation() == generation) {
      Snapshot s = last.snapshot();
      return new Snapshot(clock.instant(), s.replicaSets(), s.pods(), s.services());
    }
    Snapshot fresh =
        new Snapshot(
            clock.instant(),
            map(replicaSets, namespace, SnapshotMapper::replicaSet, "ReplicaSet"),
            map(pods, namespace, SnapshotMapper::pod, "Pod"),
            map(services, namespace, SnapshotMapper::service, "Service"));
    mapped.put(namespace, new Mapped(generation, fresh));
    return fresh;
  }

  /** What the informer caches hold for {@code namespace} now: its ReplicaSets, Pods, Services. */
  List<HasMetadata> cached(String namespace) {
    List<HasMetadata> out = new ArrayList<>();
    for (SharedIndexInformer<?> informer : all()) {
      out.addAll(
          informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
              .map(HasMetadata.class::cast)
              .toList());
    }
    return out;
  }

  private AtomicLong generation(String namespace) {
    String ns =
        namespace == null || namespace.isEmpty() ? SnapshotMapper.DEFAULT_NAMESPACE : namespace;
    return generations.computeIfAbsent(ns, k -> new AtomicLong());
  }

  /** True while every informer is watching (false from a dropped watch until a new one is open). */
  public boolean watching() {
    return all().stream().allMatch(SharedIndexInformer::isWatching);
  }

  /**
   * Since when every informer holding {@code namespace} has been watching without interruption;
   * empty while one is not (its cache may be stale: no decision may count on it).
   */
  public Optional<Instant> watchingSince(String namespace) {
    return health.watchingSince(namespace);
  }

  /**
   * When the informers holding {@code namespace} were back after their last outage (an interruption
   * of {@link WatchHealth#OUTAGE} or more), or when they started: whatever changed in between may
   * not have been seen as an event, so every cluster there settles again from it.
   */
  public Instant outageEnd(String namespace) {
    return health.outageEnd(namespace);
  }

  private List<SharedIndexInformer<?>> all() {
    List<SharedIndexInformer<?>> all = new ArrayList<>(replicaSets);
    all.addAll(pods);
    all.addAll(services);
    return all;
  }

  private static <T extends HasMetadata, R> List<R> map(
      List<SharedIndexInformer<T>> informers, String namespace, Function<T, R> mapper, String kind)
      throws ApiException {
    List<R> out = new ArrayList<>();
    for (SharedIndexInformer<T> informer : informers) {
      for (T item : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
        try {
          out.add(mapper.apply(item));
        } catch (IllegalArgumentException e) {
          throw new ApiException(
              kind
                  + " "
                  + namespace
                  + "/"
                  + item.getMetadata().getName()
                  + " cannot be read: "
                  + e.getMessage(),
              e);
        }
      }
    }
    return out;
  }

  /** Stops every informer (their watches close). */
  @Override
  public void close() {
    if (health != null) {
      health.close();
    }
    for (SharedIndexInformer<?> informer : all()) {
      informer.stop();
    }
  }

  private interface Change<T> {
    void changed(T before, T after, boolean gone);
  }

  /** fabric8 calls the handlers after it changed its cache: the bump comes after the change. */
  private <T extends HasMetadata> ResourceEventHandler<T> handler(Change<T> change) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        generation(obj.getMetadata().getNamespace()).incrementAndGet();
        change.changed(null, obj, false);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        generation(newObj.getMetadata().getNamespace()).incrementAndGet();
        change.changed(oldObj, newObj, false);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        generation(obj.getMetadata().getNamespace()).incrementAndGet();
        change.changed(obj, obj, true);
      }
    };
  }
}
