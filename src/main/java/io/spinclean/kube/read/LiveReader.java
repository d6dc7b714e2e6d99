package io.spinclean.kube.read;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.ApiException;
import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a snapshot from the API server with GET requests only: exactly one paginated list each of
 * ReplicaSets, Pods and Services per namespace (across all namespaces: three cluster-wide lists),
 * never one request per object.
 *
 * <p>Pages hold {@value #PAGE_SIZE} objects ({@code limit}/{@code continue}); each page is streamed
 * from the response body straight into core records ({@link PageReader}, {@link ObjectFields}):
 * fabric8's HTTP client carries the request, its object model is not used. When a continue token
 * has expired (410 Gone: the list was paged for longer than the server keeps its snapshot), that
 * list starts over once; a second 410 is an {@link ApiException}.
 *
 * <p>A list in a namespace that does not exist answers an empty list on Kubernetes. So when all
 * three lists of a named namespace are empty, one {@code GET /api/v1/namespaces/<name>} tells an
 * empty namespace from a missing one: 404 is {@code namespace "x" does not exist}; 403 (a Role
 * inside the namespace may not read the Namespace object) is taken as an empty namespace.
 *
 * <p>{@code takenAt} is the clock's time before the first request, so ages computed from it are
 * never larger than they were when the objects were read.
 */
public final class LiveReader {
  public static final long PAGE_SIZE = 500;
  // RFC 1123 label: what the API server accepts as a namespace name.
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final KubernetesClient client;
  private final Clock clock;
  private final PageReader pages;

  public LiveReader(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pages = new PageReader(client);
  }

  /**
   * One snapshot of the scope through {@code conn}: three paginated lists per namespace, GET
   * requests only.
   */
  public static Snapshot snapshot(KubeConnection conn, Scope scope, Clock clock)
      throws ApiException {
    return new LiveReader(conn.client(), clock).read(scope);
  }

  /** A fresh {@link #snapshot} each time, e.g. for the second snapshot {@code apply} takes. */
  public static SnapshotSource source(KubeConnection conn, Scope scope, Clock clock) {
    Objects.requireNonNull(scope, "scope");
    LiveReader reader = new LiveReader(conn.client(), clock);
    return new SnapshotSource() {
      @Override
      public Snapshot read() throws ApiException {
        return reader.read(scope);
      }

      @Override
      public Fresh readKeeping(Set<String> uids) throws ApiException {
        return reader.readKeeping(scope, uids);
      }
    };
  }

  public Snapshot read(Scope scope) throws ApiException {
    return read(scope, Set.of(), new HashMap<>());
  }

  /**
   * As {@link #read(Scope)}, also putting into {@code kept} the ReplicaSets whose uid is in {@code
   * keep}, as sent: then each ReplicaSet is read as a tree, one at a time, and only those are kept.
   */
  public SnapshotSource.Fresh readKeeping(Scope scope, Set<String> keep) throws ApiException {
    Map<String, JsonNode> kept = new HashMap<>();
    Snapshot snapshot = read(scope, keep, kept);
    return new SnapshotSource.Fresh(snapshot, kept);
  }

  private Snapshot read(Scope scope, Set<String> keep, Map<String, JsonNode> kept)
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

  /** Maps one item of a list, or says why it cannot. */
  @FunctionalInterface
  private interface Mapper<R> {
    R map(ObjectFields item, JsonNode tree) throws ObjectTypes.Invalid;
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
      Map<String, JsonNode> kept)
      throws ApiException {
    list(
        "/apis/apps/v1",
        "replicasets",
        ns,
        !keep.isEmpty(),
        (item, tree) -> {
          ReplicaSet rs = ObjectTypes.replicaSet(item);
          if (tree != null && keep.contains(rs.uid())) {
            kept.put(rs.uid(), tree); // a list started over replaces what its first pass kept
          }
          return rs;
        },
        replicaSets);
    list("/api/v1", "pods", ns, false, (item, tree) -> ObjectTypes.pod(item), pods);
    list("/api/v1", "services", ns, false, (item, tree) -> ObjectTypes.service(item), services);
  }

  private <R> void list(
      String api, String resource, String ns, boolean trees, Mapper<R> mapper, List<R> out)
      throws ApiException {
    String path = api + (ns == null ? "" : "/namespaces/" + ns) + "/" + resource;
    int start = out.size();
    for (int attempt = 1; ; attempt++) {
      String token = null;
      try {
        do {
          token =
              pages.read(
                  path,
                  token,
                  PAGE_SIZE,
                  resource,
                  trees,
                  (item, tree) -> out.add(map(mapper, item, tree, resource)));
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

  private <R> R map(Mapper<R> mapper, ObjectFields item, JsonNode tree, String resource)
      throws ApiException {
    try {
      return mapper.map(item, tree);
    } catch (ObjectTypes.Invalid | IllegalArgumentException e) {
      String name = item.hasMetadata ? item.namespace + "/" + item.name : "?";
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
      pages.get("/api/v1/namespaces/" + ns, "namespace " + ns);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new ApiException("namespace \"" + ns + "\" does not exist", e);
      }
      if (e.getCode() == 403) {
        return; // a Role inside the namespace may not read the Namespace: it is simply empty
      }
      throw new ApiException(ApiErrors.describe(client, "get namespace " + ns, true, e), e);
    }
  }
}
