package io.spinclean.watch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text format 0.0.4), {@code /healthz} and {@code /readyz} on one
 * port, with the JDK's HTTP server.
 *
 * <p>{@code /healthz} answers 200 while the process serves requests at all (the liveness probe
 * restarts a hung JVM); {@code /readyz} answers 200 only while {@code ready} is true (every
 * informer watching) and 503 otherwise. A stand-by is ready: readiness says nothing of leadership.
 */
public final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves /metrics, /healthz and /readyz until closed.
   *
   * @param port 0 for a free port (tests)
   * @throws IOException the port cannot be bound
   */
  public static MetricsServer start(int port, Metrics metrics, BooleanSupplier ready)
      throws IOException {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(ready, "ready");
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", ex -> answer(ex, 200, CONTENT_TYPE, metrics.render()));
    server.createContext("/healthz", ex -> answer(ex, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          boolean ok = ready.getAsBoolean();
          answer(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "informers not watching\n");
        });
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "spinclean-metrics");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
  }
}
