package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.spinclean.core.ApiException;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.Snapshot;
import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.kube.read.SnapshotMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Informers on ReplicaSets, Pods and Services of a {@link Scope}: one watch per kind (per
 * namespace, or cluster-wide with {@code -A}), no polling. Every event is turned into the Spinnaker
 * clusters it touches: a ReplicaSet's own (from its moniker annotations, before and after the
 * change), a Pod's owner's (through an index of ReplicaSet uid to cluster), every cluster of a
 * Service's namespace. fabric8's informers recover by themselves: a watch the server ends (as it
 * does when {@code timeoutSeconds} runs out) is opened again from the last resourceVersion after
 * the client's watch reconnect interval (1 s, doubling while attempts fail, reset once one opens);
 * after 410 Gone they list again (WatchFaultTest).
 *
 * <p>Invariant: {@link #snapshot} reads the informer caches only (no request) and maps them through
 * {@link SnapshotMapper}, as {@code plan} does with a live read. The caches hold lean copies
 * ({@link LeanCopy}: what the mapper and the handlers read, no managedFields, other annotations or
 * containers), so nothing may delete or back up from them: the executor reads afresh.
 */
public final class ClusterWatch implements AutoCloseable {
  /** How long the first list and watch of one kind may take, retries included. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final Scope scope;
  private final Clock clock;
  private final Consumer<ClusterKey> listener;
  private final Map<String, List<SharedIndexInformer<?>>> byNamespace = new HashMap<>();
  private WatchHealth health;
  private final Map<String, ClusterKey> clusterOfUid = new ConcurrentHashMap<>();
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
    this.listener = listener;
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
          start(
              "replicasets",
              ns,
              ns == null
                  ? client.apps().replicaSets().inAnyNamespace()
                  : client.apps().replicaSets().inNamespace(ns),
              LeanCopy::replicaSet,
              handler(this::replicaSetChanged)));
      pods.add(
          start(
              "pods",
              ns,
              ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
              LeanCopy::pod,
              handler(this::podChanged)));
      services.add(
          start(
              "services",
              ns,
              ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
              LeanCopy::service,
              handler(this::serviceChanged)));
      int last = replicaSets.size() - 1;
      byNamespace.put(ns, List.of(replicaSets.get(last), pods.get(last), services.get(last)));
    }
  }

  private <T extends HasMetadata> SharedIndexInformer<T> start(
      String resource,
      String ns,
      Informable<T> informable,
      UnaryOperator<T> lean,
      ResourceEventHandler<T> handler)
      throws ApiException {
    // Paged like plan's reads (LiveReader.PAGE_SIZE): one 50,000-pod answer held at once was
    // what ran the controller out of memory at 1Gi (docs/controller.md, Sizing).
    SharedIndexInformer<T> informer =
        informable.withLimit(LiveReader.PAGE_SIZE).runnableInformer(0);
    // The cache keeps lean copies: 50,000 whole pods were most of the 1Gi (issue 11, item 3).
    informer.itemStore(new LeanStore<>(lean));
    informer.addEventHandler(handler);
    informer.exceptionHandler(ClusterWatch::retry);
    try {
      informer.start().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return informer;
    } catch (ExecutionException e) {
      informer.stop();
      Exception cause = e.getCause() instanceof Exception c ? c : e;
      throw ApiErrors.exception(client, "watch", resource, ns, cause);
    } catch (TimeoutException e) {
      informer.stop();
      throw new ApiException(
          "cannot watch "
              + resource
              + (ns == null ? " in all namespaces" : " in namespace " + ns)
              + ": no answer from "
              + ApiErrors.server(client)
              + " within "
              + START_TIMEOUT.toSeconds()
              + "s",
          e);
    } catch (InterruptedException e) {
      informer.stop();
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while starting to watch " + resource, e);
    }
  }

  /**
   * Whether an informer lists and watches again after {@code t}: always once it has started (a
   * closed watch, 410 Gone, a 5xx, an I/O error). At start only after 410 Gone, 429 or a 5xx (the
   * server is there and busy); anything else (refused connection, 401, 403, 404) stops the
   * controller at once with one sentence: retrying cannot fix credentials, RBAC or a wrong URL.
   */
  static boolean retry(boolean started, Throwable t) {
    if (started) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() != 0) {
        int code = k.getCode();
        return code == 410 || code == 429 || code >= 500;
      }
    }
    return false;
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

  private void replicaSetChanged(ReplicaSet before, ReplicaSet after, boolean gone) {
    Set<ClusterKey> keys = new HashSet<>();
    for (ReplicaSet rs : new ReplicaSet[] {before, after}) {
      ClusterKey key = rs == null ? null : clusterOf(rs.getMetadata());
      if (key != null) {
        keys.add(key);
      }
    }
    ObjectMeta meta = after.getMetadata();
    if (meta.getUid() != null) {
      ClusterKey key = clusterOf(meta);
      if (gone || key == null) {
        clusterOfUid.remove(meta.getUid());
      } else {
        clusterOfUid.put(meta.getUid(), key);
      }
    }
    keys.forEach(listener);
  }

  private void podChanged(Pod before, Pod after, boolean gone) {
    Set<ClusterKey> keys = new HashSet<>();
    for (Pod pod : new Pod[] {before, after}) {
      if (pod == null || pod.getMetadata().getOwnerReferences() == null) {
        continue;
      }
      for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
        ClusterKey key = owner.getUid() == null ? null : clusterOfUid.get(owner.getUid());
        if (key != null) {
          keys.add(key);
        }
      }
    }
    keys.forEach(listener);
  }

  private void serviceChanged(Service before, Service after, boolean gone) {
    String ns = after.getMetadata().getNamespace();
    new HashSet<>(clusterOfUid.values())
        .stream().filter(k -> k.namespace().equals(ns)).forEach(listener);
  }

  /** The moniker of a ReplicaSet, legacy JSON-quoted values unquoted (SPINNAKER.md §1). */
  static ClusterKey clusterOf(ObjectMeta meta) {
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations == null) {
      return null;
    }
    String app = Annotations.unquote(annotations.get(Annotations.APPLICATION));
    String cluster = Annotations.unquote(annotations.get(Annotations.CLUSTER));
    if (app.isEmpty() || cluster.isEmpty()) {
      return null;
    }
    String ns = meta.getNamespace();
    return new ClusterKey(
        ns == null || ns.isEmpty() ? SnapshotMapper.DEFAULT_NAMESPACE : ns, app, cluster);
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
