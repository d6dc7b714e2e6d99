package io.spinclean.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spinclean.core.ApiException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;

/**
 * A connection to one Kubernetes API server, found exactly the way kubectl finds it ({@link
 * Kubeconfig}): {@code --kubeconfig FILE} if given, else the files of {@code KUBECONFIG} merged,
 * else {@code ~/.kube/config}, else, inside a pod, the pod's service account. {@code --context}
 * picks a context of the kubeconfig. fabric8's own system properties and variables ({@code
 * KUBERNETES_MASTER}, {@code KUBERNETES_NAMESPACE}, {@code KUBERNETES_TRUST_CERTIFICATES}, ...)
 * change nothing. TLS certificates are verified as the kubeconfig says; spinclean never turns
 * verification off.
 *
 * <p>Every request has a {@link #REQUEST_TIMEOUT} and every connection attempt a {@link
 * #CONNECT_TIMEOUT}. A request that fails with 429, a 5xx or an I/O error (a timeout included) is
 * retried at most {@link #RETRIES} times, after 250 ms, 500 ms and 1 s or after the server's {@code
 * Retry-After} when that is longer (fabric8 8.0.0 honours it); then it fails. So a hung server
 * fails a request after at most (1 + 3) × 30 s, not fabric8's default of 10 retries.
 *
 * <p>Closing the connection closes its HTTP client, so the JVM can exit at once.
 */
public final class KubeConnection implements AutoCloseable {
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final int RETRIES = 3;
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(250);

  /** Set by {@link #prepare}: the serializer its thread warms, used by every later client. */
  private static volatile KubernetesSerialization prepared;

  /** The JDK's default trust anchors, which it caches only weakly, held until a client is built. */
  @SuppressWarnings("unused")
  private static volatile TrustManager[] preparedTrust;

  private final KubernetesClient client;
  private final String defaultNamespace;

  /** The factory of the client's JDK HTTP clients, or null when the client was built elsewhere. */
  private final SelectorClosingFactory http;

  private KubeConnection(
      KubernetesClient client, String defaultNamespace, SelectorClosingFactory http) {
    this.client = Objects.requireNonNull(client, "client");
    this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
    this.http = http;
  }

  /**
   * Connects as kubectl would with the same flags.
   *
   * @param kubeconfig {@code --kubeconfig}, or null to look where kubectl looks
   * @param context {@code --context}, or null for the kubeconfig's current context
   * @throws ApiException no configuration found, the kubeconfig cannot be read, or the context is
   *     not in it; the message says which
   */
  public static KubeConnection open(String kubeconfig, String context) throws ApiException {
    return open(kubeconfig, context, new Kubeconfig(System.getenv(), Kubeconfig.SERVICE_ACCOUNT));
  }

  /** {@link #open(String, String)} with the environment and service account given. */
  static KubeConnection open(String kubeconfig, String context, Kubeconfig found)
      throws ApiException {
    return create(found.resolve(kubeconfig, context));
  }

  /**
   * The context names of the kubeconfig kubectl would read with the same {@code --kubeconfig}, in
   * kubeconfig order ({@code --all-contexts}); open each with {@link #open(String, String)}.
   *
   * @throws ApiException a kubeconfig file cannot be read
   */
  public static List<String> contexts(String kubeconfig) throws ApiException {
    return new Kubeconfig(System.getenv(), Kubeconfig.SERVICE_ACCOUNT).contexts(kubeconfig);
  }

  /**
   * Starts, on a background thread, the one-time set-up that a short-lived process otherwise does
   * on its critical path when it opens its first connection: the JDK's default trust anchors (the
   * client loads them for every server, http or https) and the serializer every later client uses.
   * Meanwhile the main thread parses the command line and reads the kubeconfig. Nothing the command
   * may not use: no JSON model (the read path streams), no registry of API kinds (the kubeconfig is
   * read without it). Only a speed-up: it changes no result, and whatever fails in it is done, and
   * reported, again by the connection itself. Not called when a command reads files.
   */
  public static void prepare() {
    Thread thread = new Thread(KubeConnection::warmUp, "spinclean-prepare");
    thread.setDaemon(true);
    thread.start();
  }

  private static void warmUp() {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init((KeyStore) null);
      preparedTrust = trust.getTrustManagers();
      prepared = new KubernetesSerialization();
    } catch (RuntimeException | GeneralSecurityException e) {
      // nothing lost: the connection does this work itself and reports what goes wrong
    }
  }

  /** Tunes timeouts and retries and builds the client with the JDK's HTTP client. */
  public static KubeConnection create(Config config) {
    config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    config.setRequestRetryBackoffLimit(RETRIES);
    config.setRequestRetryBackoffInterval((int) FIRST_RETRY_DELAY.toMillis());
    if (config.getMasterUrl() != null && config.getMasterUrl().startsWith("http://")) {
      // Plain HTTP (the embedded server, a kubectl proxy): the JDK client would try an h2c
      // upgrade first, which the mock server's HTTP/2 answered once with a frame larger than
      // allowed ("exceeds MAX_FRAME_SIZE"). HTTPS negotiates HTTP/2 by ALPN and is unaffected.
      config.setHttp2Disable(true);
    }
    SelectorClosingFactory http = new SelectorClosingFactory();
    KubernetesClientBuilder builder =
        new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(http);
    KubernetesSerialization serialization = prepared;
    if (serialization != null) {
      builder.withKubernetesSerialization(serialization);
    }
    KubernetesClient client = builder.build();
    preparedTrust = null; // the client holds what it uses; the rest may go
    String ns = config.getNamespace();
    return new KubeConnection(client, ns == null || ns.isBlank() ? "default" : ns, http);
  }

  /** For tests and the embedded server: a connection over a client built elsewhere. */
  public static KubeConnection of(KubernetesClient client, String defaultNamespace) {
    return new KubeConnection(client, defaultNamespace, null);
  }

  /** The context's namespace, or the pod's, else {@code default}: where {@code plan} looks. */
  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** The API server's URL, e.g. {@code https://10.0.0.1:6443}. */
  public String server() {
    return ApiErrors.server(client);
  }

  /** The kubeconfig context in use, or "the pod's service account". */
  public String credentials() {
    return ApiErrors.credentials(client);
  }

  public KubernetesClient client() {
    return client;
  }

  /** Closes the client, and ends its JDK HTTP clients' selector threads (fabric8 does not). */
  @Override
  public void close() {
    client.close();
    if (http != null) {
      http.end();
    }
  }

  static String rootMessage(Throwable e) {
    String said = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException j) {
        return ParseErrors.describe(j);
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        said = t.getMessage();
      }
    }
    return said == null ? e.getClass().getSimpleName() : ParseErrors.summarize(said, -1, -1);
  }
}
