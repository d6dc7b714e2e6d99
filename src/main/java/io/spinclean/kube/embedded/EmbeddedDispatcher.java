package io.spinclean.kube.embedded;

import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * The embedded API server's request handling: the {@link EmbeddedStore} (fabric8's CRUD mock with
 * the API server's delete rules and the ReplicaSet controller's status write), with expectations
 * registered through {@code server.expect()} answered first while they last, as in fabric8's own
 * mixed mode, so tests can inject faults into a loaded server.
 */
public final class EmbeddedDispatcher extends Dispatcher {
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final EmbeddedStore crud = new EmbeddedStore();

  public EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
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

  /**
   * Waits, at most {@code max}, until the server's controllers have written what they owe.
   *
   * @return false when they were still busy after {@code max}
   */
  public boolean awaitControllers(Duration max) {
    return crud.awaitControllers(max);
  }
}
