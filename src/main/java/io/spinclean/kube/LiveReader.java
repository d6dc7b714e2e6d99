package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a snapshot from the API server with GET requests only: exactly one paginated list each of
 * ReplicaSets, Pods and Services per namespace (across all namespaces: three cluster-wide lists),
 * never one request per object.
 *
 * <p>Pages hold {@value #PAGE_SIZE} objects ({@code limit}/{@code continue}); each page is mapped
 * to core records as it arrives and the fabric8 objects are dropped. When a continue token has
 * expired (410 Gone: the list was paged for longer than the server keeps its snapshot), that list
 * starts over once; a second 410 is an {@link ApiException}.
 *
 * <p>A list in a namespace that does not exist answers an empty list on Kubernetes. So when all
 * three lists of a named namespace are empty, one {@code GET /api/v1/namespaces/<name>} tells an
 * empty namespace from a missing one: 404 is {@code namespace "x" does not exist}; 403 (a Role
 * inside the namespace may not read the Namespace object) is taken as an empty namespace.
 *
 * <p>{@code takenAt} is the clock's time before the first request, so ages computed from it are
 * never larger than they were when the objects were read.
 */
final class LiveReader {
  static final long PAGE_SIZE = 500;
  // RFC 1123 label: what the API server accepts as a namespace name.
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final KubernetesClient client;
  private final Clock clock;

  LiveReader(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Snapshot read(Scope scope) throws ApiException {
    return read(scope, Set.of(), new HashMap<>());
  }

  /**
   * As {@link #read(Scope)}, also putting into {@code kept} the ReplicaSets whose uid is in {@code
   * keep}, as read: the only fabric8 objects not dropped page by page.
   */
  SnapshotSource.Fresh readKeeping(Scope scope, Set<String> keep) throws ApiException {
    Map<String, io.fabric8.kubernetes.api.model.apps.ReplicaSet> kept = new HashMap<>();
    Snapshot snapshot = read(scope, keep, kept);
    return new SnapshotSource.Fresh(snapshot, kept);
  }

  private Snapshot read(
      Scope scope,
      Set<String> keep,
      Map<String, io.fabric8.kubernetes.api.model.apps.ReplicaSet> kept)
      throws ApiException {
    Instant takenAt = clock.instant();
    List<ReplicaSet> replicaSets = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    if (scope.allNamespaces()) {
      readNamespace(null, replicaSets, pods, services, keep, kept);
    }
    for (String ns : scope.namespaces()) {
      if (!NAMESPACE.matcher(ns).matches()) {
        throw new ApiException(
            "namespace \"" + ns + "\" does not exist (not a valid namespace name)");
      }
      int before = replicaSets.size() + pods.size() + services.size();
      readNamespace(ns, replicaSets, pods, services, keep, kept);
      if (replicaSets.size() + pods.size() + services.size() == before) {
        requireNamespace(ns);
      }
    }
    return new Snapshot(takenAt, replicaSets, pods, services);
  }

  /**
   * @param ns null for all namespaces
   */
  private void readNamespace(
      String ns,
      List<ReplicaSet> replicaSets,
      List<Pod> pods,
      List<Service> services,
      Set<String> keep,
      Map<String, io.fabric8.kubernetes.api.model.apps.ReplicaSet> kept)
      throws ApiException {
    list(
        "replicasets",
        ns,
        options ->
            ns == null
                ? client.apps().replicaSets().inAnyNamespace().list(options)
                : client.apps().replicaSets().inNamespace(ns).list(options),
        item -> {
          ReplicaSet rs = SnapshotMapper.replicaSet(item);
          if (keep.contains(rs.uid())) {
            kept.put(rs.uid(), item); // a list started over replaces what its first pass kept
          }
          return rs;
        },
        replicaSets);
    list(
        "pods",
        ns,
        options ->
            ns == null
                ? client.pods().inAnyNamespace().list(options)
                : client.pods().inNamespace(ns).list(options),
        SnapshotMapper::pod,
        pods);
    list(
        "services",
        ns,
        options ->
            ns == null
                ? client.services().inAnyNamespace().list(options)
                : client.services().inNamespace(ns).list(options),
        SnapshotMapper::service,
        services);
  }

  private <T extends HasMetadata, R> void list(
      String resource,
      String ns,
      Function<ListOptions, ? extends KubernetesResourceList<T>> lister,
      Function<T, R> mapper,
      List<R> out)
      throws ApiException {
    int start = out.size();
    for (int attempt = 1; ; attempt++) {
      String token = null;
      try {
        do {
          KubernetesResourceList<T> page =
              lister.apply(
                  new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(token).build());
          for (T item : page.getItems()) {
            out.add(map(mapper, item, resource));
          }
          token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        return;
      } catch (KubernetesClientException e) {
        out.subList(start, out.size()).clear();
        if (e.getCode() == 410 && attempt == 1) {
          continue; // the continue token expired: start this list over, once
        }
        if (e.getCode() == 410) {
          throw new ApiException(
              "cannot list "
                  + resource
                  + (ns == null ? " in all namespaces" : " in namespace " + ns)
                  + ": the list expired twice while paging (410 Gone); it changes faster than"
                  + " it can be read, try again",
              e);
        }
        throw ApiErrors.exception(client, "list", resource, ns, e);
      }
    }
  }

  private <T extends HasMetadata, R> R map(Function<T, R> mapper, T item, String resource)
      throws ApiException {
    try {
      return mapper.apply(item);
    } catch (IllegalArgumentException e) {
      var meta = item.getMetadata();
      String name = meta == null ? "?" : meta.getNamespace() + "/" + meta.getName();
      throw new ApiException(
          "the API server at "
              + ApiErrors.server(client)
              + " sent "
              + resource
              + " "
              + name
              + " that spinclean cannot read: "
              + e.getMessage(),
          e);
    }
  }

  private void requireNamespace(String ns) throws ApiException {
    try {
      if (client.namespaces().withName(ns).get() == null) {
        throw new ApiException("namespace \"" + ns + "\" does not exist");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return; // a Role inside the namespace may not read the Namespace: it is simply empty
      }
      throw new ApiException(ApiErrors.describe(client, "get namespace " + ns, true, e), e);
    }
  }
}
