package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded API server's request handling: fabric8's CRUD mock (real HTTP, real JSON), with
 * expectations registered through {@code server.expect()} answered first while they last, as in
 * fabric8's own mixed mode, so tests can inject faults into a loaded server.
 *
 * <p>One deliberate difference from the CRUD mock: a create keeps the {@code metadata.uid} and
 * {@code metadata.creationTimestamp} the request carries. The mock overwrites both (with the
 * current second), and then a loaded dump would lose what makes it a scenario: which version is
 * newer, and which pods belong to which ReplicaSet. Real clients never send these fields on a
 * create (the real API server ignores them), so nothing else changes.
 *
 * <p>Invariant: the kept values are in the store before anyone sees the object, so a get, a list,
 * the create's answer, the ADDED event of a watch opened before, and every later update (the mock
 * carries both fields over from the stored object) show the same uid and creationTimestamp.
 */
final class EmbeddedDispatcher extends Dispatcher {
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final Crud crud = new Crud();

  EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    ServerRequest key =
        new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath());
    Queue<ServerResponse> queue = expectations.get(key);
    return queue != null && !queue.isEmpty() ? expected.dispatch(request) : crud.dispatch(request);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  /**
   * Ends every open watch from the server side with a normal WebSocket close (1000), as a real API
   * server does when a watch's {@code timeoutSeconds} runs out.
   *
   * @return how many watches were open
   */
  int closeWatches() {
    Set<WebSocket> open = Set.copyOf(crud.watches);
    open.forEach(ws -> ws.close(1000, ""));
    return open.size();
  }

  /** How many watches have been opened since the start. */
  int watchesOpened() {
    return crud.opened.get();
  }

  private static final class Crud extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
    private final AtomicInteger opened = new AtomicInteger();

    // The mock handles a create on the calling thread, under its own lock. Per instance on
    // purpose: each embedded server has its own dispatcher.
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<Create> creating = new ThreadLocal<>();

    @Override
    public MockResponse handleWatch(String path) {
      MockResponse response = super.handleWatch(path);
      WebSocketListener listener = response.getWebSocketListener();
      return listener == null
          ? response
          : response.withWebSocketUpgrade(new Tracked(listener, watches, opened));
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      // getBytes() copies; getUtf8Body() would drain the body before the CRUD handler reads it
      byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
      Create create = new Create(sentMetadata(body));
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
     * Where the mock stores an object and tells the watches about it, so a create's own uid and
     * creationTimestamp go into the store and into the ADDED event alike.
     */
    @Override
    public void processEvent(
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
      super.processEvent(path, pathAttributes, oldAttributes, resource, state);
    }

    private static JsonNode sentMetadata(byte[] body) {
      try {
        return JSON.readTree(body).path("metadata");
      } catch (JacksonException e) {
        return JSON.missingNode(); // the CRUD handler answers what it makes of it
      }
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
      try {
        JsonNode object = Crud.JSON.readTree(json);
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
        return changed ? Crud.JSON.writeValueAsString(object) : json;
      } catch (JacksonException e) {
        return json;
      }
    }
  }

  /** A watch's listener that also counts it and keeps its WebSocket in a set while it is open. */
  private static final class Tracked extends WebSocketListener {
    private final WebSocketListener delegate;
    private final Set<WebSocket> open;
    private final AtomicInteger opened;

    Tracked(WebSocketListener delegate, Set<WebSocket> open, AtomicInteger opened) {
      this.delegate = delegate;
      this.open = open;
      this.opened = opened;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      delegate.onBeforeAccept(ws, response);
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      open.add(ws);
      opened.incrementAndGet();
      delegate.onOpen(ws, response);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      delegate.onMessage(ws, text);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      delegate.onMessage(ws, bytes);
    }

    @Override
    public void onPing(WebSocket ws, byte[] bytes) {
      delegate.onPing(ws, bytes);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      open.remove(ws);
      delegate.onClosing(ws, code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      open.remove(ws);
      delegate.onClosed(ws, code, reason);
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      open.remove(ws);
      delegate.onFailure(ws, t, response);
    }
  }
}
