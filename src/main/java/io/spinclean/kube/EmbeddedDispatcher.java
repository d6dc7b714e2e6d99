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
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
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

  private static final class Crud extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

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
}
