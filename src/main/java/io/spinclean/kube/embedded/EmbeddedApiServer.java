package io.spinclean.kube.embedded;

import io.fabric8.kubernetes.api.model.ContextBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.spinclean.core.ApiException;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.read.DumpParser;
import io.spinclean.kube.read.DumpReader;
import io.spinclean.kube.read.InputException;
import io.spinclean.kube.read.SnapshotMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server in this JVM, for {@code spinclean demo} and tests: fabric8's mock server
 * in CRUD mode on 127.0.0.1 over plain HTTP (real HTTP and JSON, the real client code path; no
 * authentication, see docs/testing.md), made to behave like Kubernetes where spinclean's safety
 * depends on it ({@link EmbeddedStore}): delete preconditions answer 409, deleting a ReplicaSet
 * collects its pods (Background, Foreground) or orphans them, and the ReplicaSet controller writes
 * {@code status.observedGeneration} after a spec change. Loading a dump keeps each object's uid and
 * creationTimestamp.
 *
 * <p>Invariant: while open, it listens on {@link #url()}; {@link #close()} stops it.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  public static final String CONTEXT = "spinclean-demo";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  // The mock server logs every request through java.util.logging; the demo's output is the plan.
  // A strong reference: java.util.logging forgets the level of a logger nobody holds.
  // Converts to explicitly named classes only, so fabric8 need not scan the class path for kinds.
  private static final KubernetesSerialization WHOLE =
      new KubernetesSerialization(tools.jackson.databind.json.JsonMapper.builder().build(), false);
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final EmbeddedDispatcher dispatcher;
  private final KubeConnection admin;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedApiServer(KubernetesMockServer server, EmbeddedDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.admin = connect("default");
  }

  /** Starts on a free port. */
  public static EmbeddedApiServer start() throws ApiException {
    return start(0);
  }

  /**
   * Starts the server on 127.0.0.1.
   *
   * @param port 0 for a free port
   */
  public static EmbeddedApiServer start(int port) throws ApiException {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    EmbeddedDispatcher dispatcher = new EmbeddedDispatcher(expectations);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, dispatcher, false);
    try {
      server.init(InetAddress.getLoopbackAddress(), port);
    } catch (RuntimeException e) {
      throw new ApiException(
          "cannot start the embedded API server on 127.0.0.1:" + port + " (" + e.getMessage() + ")",
          e);
    }
    return new EmbeddedApiServer(server, dispatcher);
  }

  /** e.g. {@code http://127.0.0.1:40123} */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** A connection whose default namespace is {@code default}. */
  public KubeConnection connect() {
    return connect("default");
  }

  /** A connection as a kubeconfig written by {@link #writeKubeconfig} would give. */
  public KubeConnection connect(String namespace) {
    Config config =
        new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace(namespace).build();
    config.setCurrentContext(
        new NamedContextBuilder()
            .withName(CONTEXT)
            .withContext(
                new ContextBuilder()
                    .withCluster(CONTEXT)
                    .withUser(CONTEXT)
                    .withNamespace(namespace)
                    .build())
            .build());
    return KubeConnection.create(config);
  }

  /** Creates the ReplicaSets, Pods and Services of a dump file (see {@link DumpReader}). */
  public void load(Path dump) throws InputException, ApiException {
    List<HasMetadata> objects = new ArrayList<>();
    DumpReader.parseFile(dump.toString(), true, item -> objects.add(whole(item)));
    create(objects);
  }

  /**
   * Creates the objects of a dump (a kubectl List, JSON or YAML) in the server.
   *
   * @param source the name used in error messages
   */
  public void load(InputStream dump, String source) throws InputException, ApiException {
    List<HasMetadata> objects = new ArrayList<>();
    DumpParser.parseWhole(source, dump, item -> objects.add(whole(item)));
    create(objects);
  }

  /** The fabric8 object of a dump's item, to create. */
  private static HasMetadata whole(DumpParser.Item item) throws InputException {
    Class<? extends HasMetadata> type =
        item.record() instanceof io.spinclean.core.ReplicaSet
            ? ReplicaSet.class
            : item.record() instanceof io.spinclean.core.Pod ? Pod.class : Service.class;
    try {
      return WHOLE.convertValue(item.tree(), type);
    } catch (IllegalArgumentException e) {
      throw new InputException(item.where() + " cannot be created: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a kubeconfig for this server (context {@value #CONTEXT}) so that a user can run {@code
   * spinclean plan --kubeconfig FILE} against it by hand.
   */
  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("not a namespace name: " + namespace);
    }
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %3$s
        current-context: %1$s
        users:
        - name: %1$s
          user:
            token: %1$s
        """
            .formatted(CONTEXT, url(), namespace);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.writeString(file, yaml);
  }

  /** The mock itself, for tests: {@code expect()} injects faults, {@code takeRequest()} records. */
  public KubernetesMockServer mockServer() {
    return server;
  }

  /**
   * For tests: ends every open watch from the server side, as a real API server does when a watch's
   * {@code timeoutSeconds} runs out.
   *
   * @return how many watches were open
   */
  public int closeWatches() {
    return dispatcher.closeWatches();
  }

  /**
   * Returns once the server's controllers (the ReplicaSet controller's status writes) have written
   * what they owe, as a cluster at rest has; at most 5 s.
   */
  public void awaitControllers() {
    dispatcher.awaitControllers(Duration.ofSeconds(5));
  }

  /** For tests: how many watches have been opened since the start. */
  public int watchesOpened() {
    return dispatcher.watchesOpened();
  }

  /** Stops the server; closing twice is harmless. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      admin.close();
      server.destroy();
    }
  }

  /**
   * Namespaces first (so "does not exist" checks pass), then Services, ReplicaSets, Pods; returns
   * once the controllers are done with them, so a loaded cluster is at rest.
   */
  private void create(List<HasMetadata> objects) throws ApiException {
    KubernetesClient client = admin.client();
    Set<String> namespaces = new LinkedHashSet<>();
    for (HasMetadata o : objects) {
      if (o.getMetadata().getNamespace() == null || o.getMetadata().getNamespace().isEmpty()) {
        o.getMetadata().setNamespace(SnapshotMapper.DEFAULT_NAMESPACE);
      }
      namespaces.add(o.getMetadata().getNamespace());
    }
    for (String ns : namespaces) {
      try {
        if (client.namespaces().withName(ns).get() == null) {
          client
              .namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
              .create();
        }
      } catch (KubernetesClientException e) {
        throw new ApiException(ApiErrors.describe(client, "create namespace " + ns, true, e), e);
      }
    }
    List<HasMetadata> ordered = new ArrayList<>(objects);
    ordered.sort(Comparator.comparingInt(EmbeddedApiServer::rank));
    for (HasMetadata o : ordered) {
      String ns = o.getMetadata().getNamespace();
      o.getMetadata().setResourceVersion(null); // a create must not carry one
      try {
        client.resource(o).inNamespace(ns).create();
      } catch (KubernetesClientException e) {
        String what =
            o.getKind().toLowerCase(java.util.Locale.ROOT) + " " + o.getMetadata().getName();
        throw ApiErrors.exception(client, "create", what, ns, e);
      }
    }
    awaitControllers();
  }

  private static int rank(HasMetadata o) {
    if (o instanceof Service) {
      return 0;
    }
    if (o instanceof ReplicaSet) {
      return 1;
    }
    return o instanceof Pod ? 2 : 3;
  }
}
