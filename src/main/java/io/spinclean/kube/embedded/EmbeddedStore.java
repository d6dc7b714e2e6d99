package io.spinclean.kube.embedded;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD mock store (real HTTP, real JSON) with what a Kubernetes API server and its
 * controllers add where spinclean's safety depends on it:
 *
 * <ul>
 *   <li>a create keeps the {@code metadata.uid} and {@code metadata.creationTimestamp} it carries
 *       (the mock overwrites both), so a loaded dump keeps which version is newer and which pods
 *       belong to which ReplicaSet; real clients never send them on a create;
 *   <li>a DELETE enforces its {@code preconditions} and propagation policy ({@link
 *       GarbageCollector});
 *   <li>the ReplicaSet controller writes {@code status.observedGeneration} shortly after a spec
 *       change ({@link ReplicaSetController}); the mock itself bumps {@code metadata.generation} on
 *       a change outside metadata and status, and sets 1 on a create.
 * </ul>
 *
 * <p>Invariant: every change goes through {@link #processEvent}, under the mock's write lock, so
 * the store and the watches see the kept values and the collector's deletions alike.
 */
final class EmbeddedStore extends KubernetesCrudDispatcher {
  static final ObjectMapper JSON = JsonMapper.builder().build();

  final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
  final AtomicInteger opened = new AtomicInteger();
  final ReplicaSetController replicaSets = new ReplicaSetController(this);
  private final GarbageCollector collector = new GarbageCollector(this);

  // The mock handles a request on the calling thread, under its own lock. Per instance on
  // purpose: each embedded server has its own store.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Create> creating = new ThreadLocal<>();

  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<DeleteRequest> deleting = new ThreadLocal<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    replicaSets.flush();
    if ("PATCH".equals(request.getMethod())) {
      try {
        return super.dispatch(request);
      } catch (RuntimeException e) {
        return unprocessable(e);
      }
    }
    if (!"DELETE".equals(request.getMethod())) {
      return super.dispatch(request);
    }
    DeleteRequest delete =
        new DeleteRequest(request.getPath(), DeleteRequest.Options.of(body(request)));
    deleting.set(delete);
    try {
      MockResponse response = handleDelete(request.getPath());
      return delete.conflict() == null
          ? response
          : new MockResponse().setResponseCode(409).setBody(delete.conflict());
    } finally {
      deleting.remove();
    }
  }

  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener listener = response.getWebSocketListener();
    return listener == null
        ? response
        : response.withWebSocketUpgrade(new TrackedWatch(listener, watches, opened));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    Create create = new Create(sentMetadata(body(request)));
    creating.set(create);
    try {
      MockResponse response = super.handleCreate(request);
      if (response.code() == 201 && create.stored != null) {
        response.setBody(create.stored); // the answer is what was stored
      }
      return response;
    } finally {
      creating.remove();
    }
  }

  /**
   * Where the mock stores an object and tells the watches about it. A client's DELETE goes to the
   * collector first (preconditions, propagation); everything else is stored.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    DeleteRequest delete = deleting.get();
    if (delete != null && delete.claim(path)) {
      try {
        collector.delete(delete, path, pathAttributes, oldAttributes, resource, newState);
      } finally {
        delete.release();
      }
      return;
    }
    store(path, pathAttributes, oldAttributes, resource, newState);
  }

  /** Stores a change as the mock does, then lets the controllers react to it. */
  void store(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    Create create = creating.get();
    String state = newState;
    if (create != null && oldAttributes == null && newState != null) {
      state = create.keep(newState);
      create.stored = state;
    }
    String before = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, state);
    if (state == null) {
      if (before != null) {
        collector.removed(before);
      }
    } else {
      replicaSets.stored(state);
    }
  }

  /** The stored objects under {@code listPath} (e.g. {@code /api/v1/namespaces/x/pods}). */
  List<Map.Entry<AttributeSet, String>> entries(String listPath) {
    AttributeSet query = getKey(listPath);
    return map.entrySet().stream()
        .filter(e -> e.getKey().matches(query))
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
  }

  /** The object stored under {@code key}; null if none. */
  String current(AttributeSet key) {
    return map.get(key);
  }

  /** Every stored object. */
  List<String> all() {
    return List.copyOf(map.values());
  }

  /** Replaces the object stored under {@code key} (found at {@code path}) with {@code json}. */
  void replace(String path, AttributeSet key, String json) {
    store(path, getKey(path), key, null, json);
  }

  /** Removes the object stored under {@code key} (found at {@code path}), finalizers or not. */
  void remove(String path, AttributeSet key) {
    store(path, getKey(path), key, null, null);
  }

  /** Deletes as a DELETE without options does: finalizers hold the object, marked. */
  void delete(String path) {
    handleDelete(path);
  }

  String nextResourceVersion() {
    return String.valueOf(requestResourceVersion());
  }

  /**
   * A JSON Patch that cannot be applied (a failed {@code test}, a path that is not there) is a 422
   * on a real server (apiserver's jsonPatcher); the mock throws, and the client would wait for an
   * answer until its timeout.
   */
  static MockResponse unprocessable(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("JsonPatchException")) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", String.valueOf(t.getMessage()));
        status.put("reason", "Invalid");
        status.put("code", 422);
        return new MockResponse().setResponseCode(422).setBody(JSON.writeValueAsString(status));
      }
    }
    throw e;
  }

  /** A JSON Patch the server applies to itself, as a controller's request would. */
  MockResponse patch(String path, String jsonPatch) {
    Headers headers = Headers.builder().add("Content-Type", "application/json-patch+json").build();
    try {
      return handlePatch(
          new RecordedRequest(
              "HTTP/1.1",
              HttpMethod.PATCH,
              path,
              headers,
              new Buffer(jsonPatch.getBytes(StandardCharsets.UTF_8))));
    } catch (RuntimeException e) {
      return unprocessable(e);
    }
  }

  /** Waits, at most {@code max}, until the controllers have nothing left to write. */
  boolean awaitControllers(Duration max) {
    return replicaSets.awaitIdle(max);
  }

  @Override
  public void shutdown() {
    replicaSets.shutdown();
    super.shutdown();
  }

  // getBytes() copies; getUtf8Body() would drain the body before the CRUD handler reads it
  private static byte[] body(RecordedRequest request) {
    return request.getBody() == null ? new byte[0] : request.getBody().getBytes();
  }

  static JsonNode parse(String json) {
    try {
      return json == null ? JSON.missingNode() : JSON.readTree(json);
    } catch (JacksonException e) {
      return JSON.missingNode();
    }
  }

  private static JsonNode sentMetadata(byte[] body) {
    try {
      return JSON.readTree(body).path("metadata");
    } catch (JacksonException e) {
      return JSON.missingNode(); // the CRUD handler answers what it makes of it
    }
  }

  /** One create in progress on this thread: the metadata it sent, then what the mock stored. */
  private static final class Create {
    private static final List<String> KEPT = List.of("uid", "creationTimestamp");
    private final JsonNode sent;
    private String stored;

    Create(JsonNode sent) {
      this.sent = sent;
    }

    /** {@code json} with the sent uid and creationTimestamp, where the request had them. */
    String keep(String json) {
      JsonNode object = parse(json);
      if (!(object.get("metadata") instanceof ObjectNode meta)) {
        return json;
      }
      boolean changed = false;
      for (String field : KEPT) {
        JsonNode value = sent.get(field);
        if (value != null && value.isString() && !value.stringValue().isEmpty()) {
          meta.put(field, value.stringValue());
          changed = true;
        }
      }
      return changed ? JSON.writeValueAsString(object) : json;
    }
  }
}
