package io.spinclean.watch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text format 0.0.4), {@code /healthz} and {@code /readyz} on one
 * port.
 *
 * <p>{@code /healthz} answers 200 while the process serves requests at all (the liveness probe
 * restarts a hung JVM); {@code /readyz} answers 200 only while {@code ready} is true (every
 * informer watching) and 503 otherwise. A stand-by is ready: readiness says nothing of leadership.
 *
 * <p>A small HTTP/1.1 server of its own, not the JDK's {@code com.sun.net.httpserver}: that one
 * reads a request on its executor's threads without a deadline (its only limits, the {@code
 * sun.net.httpserver.maxReqTime} system properties, are read once per JVM when the class loads), so
 * one client that sent half a request held {@code /healthz} until the liveness probe restarted the
 * pod. Invariants: at most {@link #THREADS} threads read and answer requests; a connection is
 * closed {@link #REQUEST_TIMEOUT} after a thread took it up, whether its request arrived or not,
 * and whether it read the answer or not; at most {@link #QUEUE} connections wait for a thread, more
 * are closed at once. One request per connection ({@code Connection: close}), GET and HEAD only, a
 * request head of at most {@link #MAX_HEAD} bytes.
 */
public final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Prometheus, two probes and a person with curl need one each at most. */
  static final int THREADS = 4;

  static final int QUEUE = 32;

  /**
   * A scrape or a probe sends its request in one packet and reads a few KiB; a client that has not
   * done both within this long is cut off. Well below the probes' 1 s timeout times their
   * failureThreshold, so one slow client costs at most one failed probe.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  static final int MAX_HEAD = 8 * 1024;

  private final ServerSocket socket;
  private final Metrics metrics;
  private final BooleanSupplier ready;
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor deadlines;

  private MetricsServer(ServerSocket socket, Metrics metrics, BooleanSupplier ready) {
    this.socket = socket;
    this.metrics = metrics;
    this.ready = ready;
    this.workers =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            daemons("spinclean-metrics-"));
    this.deadlines = new ScheduledThreadPoolExecutor(1, daemons("spinclean-metrics-deadline-"));
    deadlines.setRemoveOnCancelPolicy(true);
  }

  /** Serves on every interface: {@link #start(InetSocketAddress, Metrics, BooleanSupplier)}. */
  public static MetricsServer start(int port, Metrics metrics, BooleanSupplier ready)
      throws IOException {
    return start(new InetSocketAddress(port), metrics, ready);
  }

  /**
   * Serves /metrics, /healthz and /readyz until closed.
   *
   * @param address where to listen: a wildcard address is every interface (IPv4 and IPv6); port 0
   *     for a free port (tests)
   * @throws IOException the address cannot be bound
   */
  public static MetricsServer start(
      InetSocketAddress address, Metrics metrics, BooleanSupplier ready) throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(ready, "ready");
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    MetricsServer server = new MetricsServer(socket, metrics, ready);
    Thread acceptor = daemons("spinclean-metrics-accept-").newThread(server::accept);
    acceptor.start();
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The address and port it listens on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        pause(); // e.g. out of file descriptors: do not spin
        continue;
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException full) {
        closeQuietly(client);
      }
    }
  }

  private void serve(Socket client) {
    // Closing the socket ends a blocked read or write: one deadline for the whole exchange.
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> closeQuietly(client), REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try (client) {
      Answer answer;
      try {
        String line = requestLine(new BufferedInputStream(client.getInputStream(), 1024));
        if (line == null) {
          return;
        }
        answer = answer(line);
      } catch (HeadTooLarge e) {
        answer = new Answer(431, "text/plain", "request head too large\n", false);
      }
      write(client.getOutputStream(), answer);
    } catch (IOException e) {
      // cut off at the deadline, or the client went away: there is nobody to answer
    } finally {
      deadline.cancel(false);
    }
  }

  private record Answer(int code, String type, String body, boolean head) {}

  private Answer answer(String requestLine) {
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !parts[1].startsWith("/")) {
      return new Answer(400, "text/plain", "bad request\n", false);
    }
    boolean head = parts[0].equals("HEAD");
    if (!head && !parts[0].equals("GET")) {
      return new Answer(405, "text/plain", "GET or HEAD\n", false);
    }
    int query = parts[1].indexOf('?');
    String path = query < 0 ? parts[1] : parts[1].substring(0, query);
    return switch (path) {
      case "/metrics" ->
          new Answer(
              200, CONTENT_TYPE, metrics.render() + Metrics.readiness(ready.getAsBoolean()), head);
      case "/healthz" -> new Answer(200, "text/plain", "ok\n", head);
      case "/readyz" -> {
        boolean ok = ready.getAsBoolean();
        yield new Answer(
            ok ? 200 : 503, "text/plain", ok ? "ok\n" : "informers not watching\n", head);
      }
      default -> new Answer(404, "text/plain", "not found\n", head);
    };
  }

  /** A request head longer than {@link #MAX_HEAD}. */
  static final class HeadTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Reads the request head up to its blank line and returns its first line, or null when the client
   * closed before the end of the head. Empty lines before the request line are skipped (RFC 9112
   * §2.2).
   */
  static String requestLine(InputStream in) throws IOException {
    byte[] head = new byte[MAX_HEAD];
    int n = 0;
    int lineEnd = -1;
    while (true) {
      int b = in.read();
      if (b == -1) {
        return null;
      }
      if (n == 0 && (b == '\r' || b == '\n')) {
        continue;
      }
      if (n == head.length) {
        throw new HeadTooLarge();
      }
      head[n++] = (byte) b;
      if (b == '\n') {
        if (lineEnd < 0) {
          lineEnd = n - 1;
        }
        // a blank line ("\r\n\r\n", or "\n\n" from a lenient client) ends the head
        if ((n >= 2 && head[n - 2] == '\n')
            || (n >= 3 && head[n - 2] == '\r' && head[n - 3] == '\n')) {
          break;
        }
      }
    }
    int end = lineEnd > 0 && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    return new String(head, 0, end, StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, Answer a) throws IOException {
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + a.code()
            + " "
            + reason(a.code())
            + "\r\nContent-Type: "
            + a.type()
            + "\r\nContent-Length: "
            + body.length
            + (a.code() == 405 ? "\r\nAllow: GET, HEAD" : "")
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (!a.head()) {
      out.write(body);
    }
    out.flush();
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> throw new IllegalArgumentException("no reason phrase for " + code);
    };
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing is all that was left to do
    }
  }

  /** Stops accepting; a connection being served is closed at its deadline at the latest. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // not listening any more either way
    }
    workers.shutdown();
    deadlines.shutdown(); // delayed closes still run: no connection outlives its deadline
  }
}
