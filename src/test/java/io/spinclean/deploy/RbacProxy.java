package io.spinclean.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Test-only: an HTTP proxy in front of an API server that authorizes every request as the
 * ServiceAccount's RBAC would ({@link Rbac}): allowed requests are forwarded, the others answer
 * 403 Forbidden with a Kubernetes Status, as the real API server does. Every request is recorded
 * with the decision, so a test sees exactly what spinclean asked for.
 */
final class RbacProxy implements AutoCloseable {
  /** One request: what the authorizer saw, whether it allowed it, and the status returned. */
  record Call(Rbac.Access access, boolean allowed, int status) {}

  // Headers the JDK HTTP client sets itself (or that describe this hop only).
  private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length",
      "upgrade", "http2-settings", "expect", "transfer-encoding", "keep-alive");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final String target;
  private final Rbac rbac;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  /** @param target the API server's URL, e.g. {@code http://127.0.0.1:40123} */
  RbacProxy(String target, Rbac rbac) throws IOException {
    this.target = target;
    this.rbac = rbac;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A kubeconfig whose current context talks to this proxy, as a Job's token would. */
  Path writeKubeconfig(Path file, String namespace) throws IOException {
    return Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: rbac
          cluster:
            server: %s
        contexts:
        - name: rbac
          context:
            cluster: rbac
            user: spinclean
            namespace: %s
        current-context: rbac
        users:
        - name: spinclean
          user:
            token: spinclean-service-account-token
        """.formatted(url(), namespace));
  }

  /** The requests so far, in order. */
  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String method = exchange.getRequestMethod();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Rbac.Access access;
      try {
        access = Rbac.Access.of(method, uri);
      } catch (IllegalArgumentException notAResource) {
        // Discovery and other non-resource URLs: spinclean should not need them; say so loudly.
        calls.add(new Call(new Rbac.Access(method, "", uri.getPath(), null), false, 403));
        respond(exchange, 403, forbidden(method + " " + uri.getPath()));
        return;
      }
      if (!rbac.allows(access)) {
        calls.add(new Call(access, false, 403));
        respond(exchange, 403, forbidden(access.toString()));
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + uri.toString()))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(v -> forward.header(name, v));
        }
      });
      HttpResponse<byte[]> response;
      try {
        response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      calls.add(new Call(access, true, response.statusCode()));
      response.headers().firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      respond(exchange, response.statusCode(), response.body());
    }
  }

  private static byte[] forbidden(String what) {
    String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"serviceaccount spinclean cannot "
        + what.replace("\"", "'")
        + "\",\"reason\":\"Forbidden\",\"code\":403}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
