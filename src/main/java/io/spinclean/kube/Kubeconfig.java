package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.spinclean.core.ApiException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Finds the connection exactly as kubectl does, and in no other way:
 *
 * <ol>
 *   <li>{@code --kubeconfig FILE} (it must exist);
 *   <li>else {@code $KUBECONFIG}, a list of files separated by {@code :}, merged as kubectl merges
 *       them: the first file to define a cluster, user or context name wins it, and the first to
 *       set {@code current-context} wins that; files that do not exist are skipped;
 *   <li>else {@code ~/.kube/config} ({@code $HOME});
 *   <li>else, when none of those selects a context and the process runs in a pod ({@code
 *       KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT} set, the service account token
 *       present), the pod's service account: its token, {@code ca.crt}, and namespace ({@code
 *       POD_NAMESPACE} first, as kubectl, then the account's {@code namespace} file).
 * </ol>
 *
 * <p>Invariant: fabric8's own system properties and variables ({@code kubernetes.master} / {@code
 * KUBERNETES_MASTER}, {@code KUBERNETES_NAMESPACE}, {@code KUBERNETES_TRUST_CERTIFICATES}, {@code
 * KUBERNETES_AUTH_TOKEN}, the {@code kubeconfig} property, ...) never change the server, namespace,
 * TLS or credentials: the configuration starts from fabric8's {@link Config#empty()}, which reads
 * none of them, and gets only what the kubeconfig or the service account says. fabric8 re-reads its
 * configuration when a request gets 401 and every minute for exec, OIDC and service account tokens
 * ({@link Config#refresh()}), applying those properties again; {@link Pinned} answers that with
 * this same resolution instead, which also picks up a rotated service account token.
 */
final class Kubeconfig {
  /** Where Kubernetes mounts a pod's service account. */
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private final Map<String, String> env;
  private final Path serviceAccount;

  /**
   * @param env the process environment; only KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST,
   *     KUBERNETES_SERVICE_PORT, POD_NAMESPACE and the proxy variables (HTTPS_PROXY, HTTP_PROXY,
   *     NO_PROXY, also in lower case) are read, the variables kubectl reads
   * @param serviceAccount the directory holding {@code token}, {@code ca.crt} and {@code namespace}
   */
  Kubeconfig(Map<String, String> env, Path serviceAccount) {
    this.env = Map.copyOf(env);
    this.serviceAccount = Objects.requireNonNull(serviceAccount, "serviceAccount");
  }

  /**
   * The configuration kubectl would use with the same flags.
   *
   * @param kubeconfig {@code --kubeconfig}, or null
   * @param context {@code --context}, or null for the current context
   * @throws ApiException nothing found, a file cannot be read, or the context is not in it
   */
  Config resolve(String kubeconfig, String context) throws ApiException {
    List<File> files = files(kubeconfig);
    String where = files.isEmpty() ? "(none found)" : join(files);
    List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
    for (File file : files) {
      parsed.add(parse(file));
    }
    TreeSet<String> contexts = new TreeSet<>();
    String current = null;
    for (io.fabric8.kubernetes.api.model.Config c : parsed) {
      for (NamedContext named : list(c.getContexts())) {
        if (named != null && named.getName() != null && named.getContext() != null) {
          contexts.add(named.getName());
        }
      }
      if (current == null && c.getCurrentContext() != null && !c.getCurrentContext().isEmpty()) {
        current = c.getCurrentContext();
      }
    }
    String name = context != null ? context : current;
    String names = contexts.isEmpty() ? "" : " (its contexts: " + String.join(", ", contexts) + ")";
    if (name == null) {
      // kubectl: a configuration that selects no context is empty, and then a pod's own is used
      if (inCluster()) {
        return serviceAccountConfig(kubeconfig, context);
      }
      if (files.isEmpty()) {
        throw new ApiException(
            "no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG or create"
                + " ~/.kube/config (inside a pod, the service account is used)");
      }
      throw new ApiException(
          "kubeconfig " + where + " has no current-context: pass --context" + names);
    }
    if (!contexts.contains(name)) {
      throw new ApiException("context \"" + name + "\" not found in kubeconfig " + where + names);
    }
    Pinned config = new Pinned(() -> resolve(kubeconfig, context));
    KubeConfigUtils.merge(
        config, name, parsed.toArray(new io.fabric8.kubernetes.api.model.Config[0]));
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new ApiException(
          "kubeconfig " + where + ": context \"" + name + "\" has no cluster with a server");
    }
    return proxied(config);
  }

  /**
   * kubectl's proxy: the cluster's {@code proxy-url} when the kubeconfig has one, else Go's {@code
   * ProxyFromEnvironment}: {@code HTTPS_PROXY} for an https server, {@code HTTP_PROXY} for http
   * (upper case first, then lower case), never for {@code NO_PROXY}'s hosts nor for localhost and
   * loopback addresses. fabric8's own {@code kubernetes.https.proxy} and the like stay unread.
   */
  private Config proxied(Config config) {
    if (config.getHttpsProxy() != null || config.getHttpProxy() != null) {
      return config;
    }
    String host = java.net.URI.create(config.getMasterUrl()).getHost();
    if (host == null || loopback(host)) {
      return config;
    }
    config.setHttpsProxy(variable("HTTPS_PROXY"));
    config.setHttpProxy(variable("HTTP_PROXY"));
    String noProxy = variable("NO_PROXY");
    if (noProxy != null) {
      config.setNoProxy(
          java.util.Arrays.stream(noProxy.split(",", -1))
              .map(String::strip)
              .filter(h -> !h.isEmpty())
              .toArray(String[]::new));
    }
    return config;
  }

  /** {@code NAME}, else {@code name}, as Go reads them; null when both are unset or empty. */
  private String variable(String name) {
    for (String key : List.of(name, name.toLowerCase(java.util.Locale.ROOT))) {
      String value = env.getOrDefault(key, "");
      if (!value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static boolean loopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  /**
   * Every context name of the kubeconfig, in kubeconfig order: the files in kubectl's order, each
   * file's contexts as written, a name defined again in a later file not repeated (the first file
   * wins it). Empty when no file defines a context (e.g. inside a pod with no kubeconfig).
   *
   * @param kubeconfig {@code --kubeconfig}, or null
   * @throws ApiException a file cannot be read
   */
  List<String> contexts(String kubeconfig) throws ApiException {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (File file : files(kubeconfig)) {
      for (NamedContext named : list(parse(file).getContexts())) {
        if (named != null && named.getName() != null && named.getContext() != null) {
          names.add(named.getName());
        }
      }
    }
    return List.copyOf(names);
  }

  /** The files kubectl would read, in its order; only {@code --kubeconfig} must exist. */
  private List<File> files(String kubeconfig) throws ApiException {
    if (kubeconfig != null) {
      Path path = Path.of(kubeconfig);
      if (!Files.exists(path)) {
        throw new ApiException("kubeconfig " + kubeconfig + ": no such file");
      }
      return List.of(checked(kubeconfig));
    }
    String list = env.get("KUBECONFIG");
    LinkedHashSet<String> names = new LinkedHashSet<>();
    if (list != null && !list.isEmpty()) {
      for (String name : list.split(File.pathSeparator, -1)) {
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    } else {
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      names.add(Path.of(home, ".kube", "config").toString());
    }
    List<File> files = new ArrayList<>();
    for (String name : names) {
      if (Files.exists(Path.of(name))) {
        files.add(checked(name));
      }
    }
    return files;
  }

  private static File checked(String name) throws ApiException {
    if (Files.isDirectory(Path.of(name))) {
      throw new ApiException("kubeconfig " + name + ": is a directory");
    }
    return new File(name);
  }

  private static io.fabric8.kubernetes.api.model.Config parse(File file) throws ApiException {
    return KubeconfigFile.parse(file);
  }

  /** kubectl's test: both variables set and a token file present. */
  private boolean inCluster() {
    return !env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isEmpty()
        && !env.getOrDefault("KUBERNETES_SERVICE_PORT", "").isEmpty()
        && Files.isRegularFile(serviceAccount.resolve("token"));
  }

  private Config serviceAccountConfig(String kubeconfig, String context) throws ApiException {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    Pinned config = new Pinned(() -> resolve(kubeconfig, context));
    config.setMasterUrl(
        "https://"
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + env.get("KUBERNETES_SERVICE_PORT"));
    Path ca = serviceAccount.resolve("ca.crt");
    if (Files.isRegularFile(ca)) {
      config.setCaCertFile(ca.toString());
    }
    config.setAutoOAuthToken(read(serviceAccount.resolve("token")));
    String namespace = env.getOrDefault("POD_NAMESPACE", "");
    Path file = serviceAccount.resolve("namespace");
    if (namespace.isEmpty() && Files.isRegularFile(file)) {
      namespace = read(file);
    }
    config.setNamespace(namespace.isEmpty() ? null : namespace);
    return proxied(config);
  }

  private static String read(Path file) throws ApiException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ApiException("cannot read " + file + " (" + e.getMessage() + ")", e);
    }
  }

  private static String join(List<File> files) {
    List<String> names = new ArrayList<>();
    files.forEach(f -> names.add(f.getPath()));
    return String.join(File.pathSeparator, names);
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** A resolution to repeat. */
  @FunctionalInterface
  interface Resolution {
    Config resolve() throws ApiException;
  }

  /**
   * A fabric8 configuration whose {@link #refresh()} repeats the resolution: fabric8's own re-reads
   * the kubeconfig and then applies its system properties and variables (Config.postAutoConfigure).
   */
  static final class Pinned extends Config {
    private final transient Resolution again;

    Pinned(Resolution again) {
      super(false); // Config.empty(): no auto-configuration, no properties, no variables
      this.again = again;
    }

    @Override
    public Config refresh() {
      try {
        return again.resolve();
      } catch (ApiException | RuntimeException e) {
        return this; // as fabric8 does when the file is gone: keep what works
      }
    }
  }
}
