package io.spinclean.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.Attribute;
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
import java.nio.charset.StandardCharsets;
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
      MockResponse response = super.handleCreate(request);
      if (response.code() != 201) {
        return response;
      }
      try {
        JsonNode sent = JSON.readTree(body).path("metadata");
        ObjectNode stored =
            (ObjectNode)
                JSON.readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        ObjectNode meta = (ObjectNode) stored.get("metadata");
        boolean changed = keep(sent, meta, "uid") | keep(sent, meta, "creationTimestamp");
        if (!changed) {
          return response;
        }
        String json = JSON.writeValueAsString(stored);
        AttributeSet key =
            getKey(request.getPath()).add(new Attribute("name", meta.path("name").stringValue()));
        Map.Entry<AttributeSet, String> entry = findResource(key);
        if (entry != null) {
          // Replacing the value of an existing key does not change the map's structure.
          getMap().put(entry.getKey(), json);
          response.setBody(json);
        }
      } catch (JacksonException | ClassCastException e) {
        // not an object with metadata: nothing to keep
      }
      return response;
    }

    private static boolean keep(JsonNode sent, ObjectNode stored, String field) {
      JsonNode value = sent.get(field);
      if (value == null || !value.isString() || value.stringValue().isEmpty()) {
        return false;
      }
      stored.put(field, value.stringValue());
      return true;
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
