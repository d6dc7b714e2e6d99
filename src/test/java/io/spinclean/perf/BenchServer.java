package io.spinclean.perf;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The end-to-end benchmark's API server (bench/run): fabric8's mock server in CRUD mode, as {@code
 * spinclean demo} uses, seeded in-process with a {@link SyntheticNamespace} (no HTTP per object, so
 * 60,000 objects load in seconds), plus two things the demo's server lacks:
 *
 * <ul>
 *   <li>{@code limit}/{@code continue} pagination of lists, as a real API server does it. The CRUD
 *       mock ignores {@code limit} and would send 50,000 pods as one response, which is not what
 *       spinclean meets on a cluster and would make its peak memory meaningless.
 *   <li>a request count by verb: {@code GET /bench/stats} answers {@code {"GET":6,"DELETE":9}};
 *       {@code POST /bench/reset} zeroes it. These two paths are not counted.
 * </ul>
 *
 * <p>Usage: {@code BenchServer NAMESPACE CLUSTERS VERSIONS PODS KUBECONFIG}; prints {@code ready
 * URL} on stdout once seeded, and serves until killed.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: BenchServer NAMESPACE CLUSTERS VERSIONS PODS KUBECONFIG");
      System.exit(2);
    }
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    String ns = args[0];
    SyntheticNamespace synthetic =
        new SyntheticNamespace(
            ns, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    PagingDispatcher dispatcher = new PagingDispatcher();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    long start = System.nanoTime();
    dispatcher.create(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    synthetic.forEach(dispatcher::create);
    String url = "http://127.0.0.1:" + server.getPort();
    writeKubeconfig(Path.of(args[4]), url, ns);
    System.err.printf(
        "bench server: %d ReplicaSets, %d pods seeded in %.1f s%n",
        synthetic.replicaSets(), synthetic.podCount(), (System.nanoTime() - start) / 1e9);
    System.out.println("ready " + url);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void writeKubeconfig(Path file, String url, String ns) throws IOException {
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: bench
          cluster:
            server: %1$s
        contexts:
        - name: bench
          context:
            cluster: bench
            user: bench
            namespace: %2$s
        current-context: bench
        users:
        - name: bench
          user:
            token: bench
        """
            .formatted(url, ns));
  }

  /** CRUD, plus paging and counting. Pages are cut from a cached full list until a write. */
  static final class PagingDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();

    private long resourceVersion;

    /**
     * Stores an object as the CRUD mock's create would, without its duplicate check (a scan of
     * every stored object, which makes seeding 60,000 objects quadratic): the key is what the mock
     * derives from the object's path and JSON. Keeps the object's uid and creationTimestamp, as the
     * demo's server does (EmbeddedDispatcher), so pods stay owned by their ReplicaSets.
     */
    void create(String collectionPath, String json) {
      ObjectNode object = (ObjectNode) JSON.readTree(json);
      ObjectNode meta = (ObjectNode) object.get("metadata");
      meta.put("resourceVersion", Long.toString(++resourceVersion));
      String stored = JSON.writeValueAsString(object);
      String name = meta.path("name").stringValue();
      AttributeSet key =
          AttributeSet.merge(
              getAttributeExtractor().fromPath(collectionPath + "/" + name),
              getAttributeExtractor().fromResource(stored));
      getMap().put(key, stored);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.startsWith("/bench/")) {
        return bench(request.getMethod(), path);
      }
      counts.computeIfAbsent(request.getMethod(), m -> new AtomicLong()).incrementAndGet();
      if (!"GET".equals(request.getMethod())) {
        // Only the lists of the kind written: watch --leader-elect renews its Lease every few
        // seconds, and dropping every list then made each page of 50,000 pods rebuild them all.
        String written = "/" + path.replaceFirst("\\?.*", "") + "/";
        lists
            .keySet()
            .removeIf(
                k -> {
                  String base = k.replaceFirst("\\?.*", "");
                  return written.contains(base.substring(base.lastIndexOf('/')) + "/");
                });
        return super.dispatch(request);
      }
      Map<String, String> query = query(path);
      if (!query.containsKey("limit") || query.containsKey("watch")) {
        return super.dispatch(request);
      }
      return page(path.substring(0, path.indexOf('?')), query);
    }

    private MockResponse bench(String method, String path) {
      if ("POST".equals(method) && path.equals("/bench/reset")) {
        counts.clear();
        return new MockResponse().setResponseCode(200).setBody("{}");
      }
      Map<String, Long> snapshot = new TreeMap<>();
      counts.forEach((verb, n) -> snapshot.put(verb, n.get()));
      return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(snapshot));
    }

    private MockResponse page(String base, Map<String, String> query) {
      String selector = query.get("labelSelector");
      String full = selector == null ? base : base + "?labelSelector=" + selector;
      List<String> items = lists.computeIfAbsent(full, this::items);
      int limit = Integer.parseInt(query.get("limit"));
      String token = query.get("continue");
      int from =
          token == null
              ? 0
              : Integer.parseInt(
                  new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      int to = Math.min(items.size(), from + limit);
      StringBuilder body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",");
      body.append("\"metadata\":{\"resourceVersion\":\"1\"");
      if (to < items.size()) {
        String next =
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8));
        body.append(",\"continue\":\"").append(next).append('"');
      }
      body.append("},\"items\":[");
      for (int i = from; i < to; i++) {
        body.append(i == from ? "" : ",").append(items.get(i));
      }
      body.append("]}");
      return new MockResponse().setResponseCode(200).setBody(body.toString());
    }

    private List<String> items(String path) {
      MockResponse all = handleGet(path);
      JsonNode list = JSON.readTree(new String(all.getBody().getBytes(), StandardCharsets.UTF_8));
      List<String> items = new ArrayList<>();
      for (JsonNode item : list.path("items")) {
        items.add(JSON.writeValueAsString(item));
      }
      return items;
    }

    private static Map<String, String> query(String path) {
      Map<String, String> query = new HashMap<>();
      int q = path.indexOf('?');
      if (q < 0) {
        return query;
      }
      for (String pair : path.substring(q + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(key, URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
      return query;
    }
  }
}
