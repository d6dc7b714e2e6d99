package io.spinclean.deploy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test-only: an HTTP/1.1 proxy in front of an API server that authorizes every request as the
 * ServiceAccount's RBAC would ({@link Rbac}): allowed requests are forwarded, the others answer 403
 * Forbidden with a Kubernetes Status, as the real API server does. Every request is recorded with
 * the decision, so a test sees exactly what spinclean asked for.
 *
 * <p>It works on sockets, one request per connection (it answers {@code Connection: close}), so
 * that a WebSocket upgrade goes through as on a real API server: fabric8 watches with a {@code GET
 * ...?watch=true} that asks to upgrade, authorized as verb {@code watch} before it is forwarded;
 * after the {@code 101 Switching Protocols} the frames are relayed both ways until either side
 * closes. An HTTP/2 upgrade ({@code h2c}) is not offered to the server: the JDK client then stays
 * on HTTP/1.1, whose requests the proxy can read.
 */
final class RbacProxy implements AutoCloseable {
  /**
   * One request: what the authorizer saw, whether it allowed it, the status returned (101 for a
   * watch upgraded to a WebSocket), and the request line, e.g. {@code DELETE /apis/...}.
   */
  record Call(Rbac.Access access, boolean allowed, int status, String request) {}

  /** Fields that describe one hop only: the proxy sets its own. */
  private static final Set<String> HOP =
      Set.of(
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "upgrade",
          "http2-settings",
          "te",
          "expect");

  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "rbac-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final String host;
  private final int port;
  private final Rbac rbac;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param target the API server's URL, e.g. {@code http://127.0.0.1:40123}
   */
  RbacProxy(String target, Rbac rbac) throws IOException {
    URI uri = URI.create(target);
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.rbac = rbac;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** A kubeconfig whose current context talks to this proxy, as a Job's token would. */
  Path writeKubeconfig(Path file, String namespace) throws IOException {
    return Files.writeString(
        file,
        """
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
        """
            .formatted(url(), namespace));
  }

  /** The requests so far, in the order their answers started. */
  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      HttpHead request = HttpHead.read(in);
      if (request == null) {
        return;
      }
      // Read the whole body first: closing a socket with unread bytes would reset it, and the
      // client would see that instead of the 403.
      byte[] body = request.readBody(in);
      String[] line = request.startLine().split(" ", -1);
      String method = line[0];
      URI uri = URI.create(line[1]);
      String requestLine = method + " " + uri;
      Rbac.Access access;
      try {
        access = Rbac.Access.of(method, uri);
      } catch (IllegalArgumentException notAResource) {
        // Discovery and other non-resource URLs: spinclean should not need them; say so loudly.
        calls.add(
            new Call(
                new Rbac.Access(method, "", uri.getPath(), null, null), false, 403, requestLine));
        forbid(client.getOutputStream(), method + " " + uri.getPath());
        return;
      }
      if (!rbac.allows(access)) {
        calls.add(new Call(access, false, 403, requestLine));
        forbid(client.getOutputStream(), access.toString());
        return;
      }
      forward(client, in, request, body, access, requestLine);
    } catch (IOException closed) {
      // either side went away: the client sees the closed connection
    } finally {
      open.remove(client);
    }
  }

  private void forward(
      Socket client,
      InputStream in,
      HttpHead request,
      byte[] body,
      Rbac.Access access,
      String requestLine)
      throws IOException {
    String upgrade = request.header("Upgrade").filter("websocket"::equalsIgnoreCase).orElse(null);
    HttpHead head = request.without(HOP).with("Host", host + ":" + port);
    head =
        upgrade == null
            ? head.with("Connection", "close")
            : head.with("Connection", "Upgrade").with("Upgrade", upgrade);
    try (Socket upstream = new Socket(host, port)) {
      open.add(upstream);
      OutputStream up = upstream.getOutputStream();
      up.write(head.bytes());
      up.write(body);
      up.flush();
      InputStream down = new BufferedInputStream(upstream.getInputStream());
      HttpHead response = HttpHead.read(down);
      if (response == null) {
        throw new IOException("the API server closed the connection without an answer");
      }
      int status = Integer.parseInt(response.startLine().split(" ", -1)[1]);
      calls.add(new Call(access, true, status, requestLine));
      HttpHead back =
          status == 101
              ? response
              : response.without(Set.of("connection", "keep-alive")).with("Connection", "close");
      OutputStream out = client.getOutputStream();
      out.write(back.bytes());
      out.flush();
      // Then the body, or the WebSocket frames both ways, until the server closes.
      threads.execute(
          () -> {
            try {
              in.transferTo(up);
              upstream.shutdownOutput();
            } catch (IOException closed) {
              // the exchange is over
            }
          });
      down.transferTo(out);
    } finally {
      open.removeIf(Socket::isClosed);
    }
  }

  private static void forbid(OutputStream out, String what) throws IOException {
    byte[] json =
        ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"serviceaccount spinclean cannot "
                + what.replace("\"", "'")
                + "\",\"reason\":\"Forbidden\",\"code\":403}")
            .getBytes(StandardCharsets.UTF_8);
    HttpHead head =
        new HttpHead("HTTP/1.1 403 Forbidden", List.of())
            .with("Content-Type", "application/json")
            .with("Content-Length", String.valueOf(json.length))
            .with("Connection", "close");
    out.write(head.bytes());
    out.write(json);
    out.flush();
  }

  /** Stops accepting and closes every connection still open (watches included). */
  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    threads.shutdownNow();
  }
}
