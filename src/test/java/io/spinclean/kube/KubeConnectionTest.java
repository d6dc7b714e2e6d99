package io.spinclean.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a connection is found and configured; no request is sent. */
class KubeConnectionTest {
  static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: prod
        cluster:
          server: https://10.0.0.1:6443
      - name: local
        cluster:
          server: http://127.0.0.1:9999
      contexts:
      - name: one
        context: {cluster: prod, user: u, namespace: team-a}
      - name: two
        context: {cluster: local, user: u}
      current-context: one
      users:
      - name: u
        user: {token: abc}
      """;

  @TempDir Path dir;

  private String kubeconfig() throws Exception {
    return Files.writeString(dir.resolve("config"), KUBECONFIG).toString();
  }

  @Test
  void theCurrentContextGivesServerNamespaceAndCredentials() throws Exception {
    try (KubeConnection conn = KubeConnection.open(kubeconfig(), null)) {
      assertThat(conn.server()).isEqualTo("https://10.0.0.1:6443");
      assertThat(conn.defaultNamespace()).isEqualTo("team-a");
      assertThat(conn.credentials()).isEqualTo("context one");
    }
  }

  @Test
  void contextPicksAnotherContextAndItsNamespaceDefaultsToDefault() throws Exception {
    try (KubeConnection conn = KubeConnection.open(kubeconfig(), "two")) {
      assertThat(conn.server()).isEqualTo("http://127.0.0.1:9999");
      assertThat(conn.defaultNamespace()).isEqualTo("default");
      assertThat(conn.credentials()).isEqualTo("context two");
    }
  }

  @Test
  void anUnknownContextIsAnErrorNotTheCurrentOne() throws Exception {
    String file = kubeconfig();
    assertThatThrownBy(() -> KubeConnection.open(file, "nope"))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "context \"nope\" not found in kubeconfig " + file + " (its contexts: one, two)");
  }

  @Test
  void aKubeconfigWithoutCurrentContextNeedsContext() throws Exception {
    String file =
        Files.writeString(
                dir.resolve("no-current"), KUBECONFIG.replace("current-context: one\n", ""))
            .toString();

    assertThatThrownBy(() -> KubeConnection.open(file, null))
        .hasMessage(
            "kubeconfig "
                + file
                + " has no current-context: pass --context (its contexts: one,"
                + " two)");
    try (KubeConnection conn = KubeConnection.open(file, "one")) {
      assertThat(conn.defaultNamespace()).isEqualTo("team-a");
    }
  }

  @Test
  void timeoutsAndRetriesAreBoundedAndTlsIsVerified() throws Exception {
    try (KubeConnection conn = KubeConnection.open(kubeconfig(), null)) {
      Config config = conn.client().getConfiguration();
      assertThat(config.getRequestTimeout()).isEqualTo(30_000);
      assertThat(config.getConnectionTimeout()).isEqualTo(10_000);
      assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(3);
      assertThat(config.getRequestRetryBackoffInterval()).isEqualTo(250);
      assertThat(config.isTrustCerts()).isFalse();
      assertThat(config.isDisableHostnameVerification()).isFalse();
    }
  }

  @Test
  void closeClosesTheHttpClient() throws Exception {
    KubeConnection conn = KubeConnection.open(kubeconfig(), null);
    conn.close();
    assertThat(conn.client().getHttpClient().isClosed()).isTrue();
  }

  @Test
  void kubeconfigThatIsMissingADirectoryOrBroken() throws Exception {
    String missing = dir.resolve("missing").toString();
    String broken = Files.writeString(dir.resolve("broken"), "clusters: [unclosed\n").toString();

    assertThatThrownBy(() -> KubeConnection.open(missing, null))
        .hasMessage("kubeconfig " + missing + ": no such file");
    assertThatThrownBy(() -> KubeConnection.open(dir.toString(), null))
        .hasMessage("kubeconfig " + dir + ": is a directory");
    assertThatThrownBy(() -> KubeConnection.open(broken, null))
        .hasMessageStartingWith("kubeconfig " + broken + ": not a valid kubeconfig (line ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void plainHttpServersAreSpokenToInHttp11WithoutAnH2cUpgrade() throws Exception {
    try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
      Path kubeconfig = server.writeKubeconfig(dir.resolve("h2c"), "example");
      try (KubeConnection conn = KubeConnection.open(kubeconfig.toString(), null)) {
        conn.client().pods().inNamespace("example").list();
      }
      RecordedRequest list = server.mockServer().takeRequest(5, TimeUnit.SECONDS);
      assertThat(list.getPath()).startsWith("/api/v1/namespaces/example/pods");
      // without http2Disable the JDK client upgrades to h2c and the mock records "H2"
      assertThat(list.getHttpVersion()).isEqualTo("HTTP/1.1");
    }
  }

  /** The configuration found with this environment and no service account. */
  private Config resolve(Map<String, String> env, String kubeconfig, String context)
      throws ApiException {
    return new Kubeconfig(env, dir.resolve("no-service-account")).resolve(kubeconfig, context);
  }

  /**
   * Each of fabric8's own variables and system properties, set to send spinclean elsewhere: none
   * changes the server, namespace, TLS verification or credentials the kubeconfig gives.
   */
  @ParameterizedTest(name = "{0}={2}")
  @CsvSource({
    "KUBERNETES_MASTER, kubernetes.master, https://evil.example:6443",
    "KUBERNETES_NAMESPACE, kubernetes.namespace, evil",
    "KUBERNETES_TRUST_CERTIFICATES, kubernetes.trust.certificates, true",
    "KUBERNETES_DISABLE_HOSTNAME_VERIFICATION, kubernetes.disable.hostname.verification, true",
    "KUBERNETES_AUTH_TOKEN, kubernetes.auth.token, stolen",
    "KUBERNETES_AUTH_BASIC_USERNAME, kubernetes.auth.basic.username, evil",
    "KUBERNETES_AUTH_BASIC_PASSWORD, kubernetes.auth.basic.password, evil",
    "KUBERNETES_CERTS_CA_FILE, kubernetes.certs.ca.file, /tmp/evil-ca.crt",
    "KUBERNETES_CERTS_CA_DATA, kubernetes.certs.ca.data, ZXZpbA==",
    "KUBERNETES_CERTS_CLIENT_FILE, kubernetes.certs.client.file, /tmp/evil.crt",
    "KUBERNETES_CERTS_CLIENT_KEY_FILE, kubernetes.certs.client.key.file, /tmp/evil.key",
    "KUBERNETES_IMPERSONATE_USERNAME, kubernetes.impersonate.username, admin",
    "KUBERNETES_IMPERSONATE_GROUP, kubernetes.impersonate.group, system:masters",
    "KUBERNETES_TRUSTSTORE_FILE, kubernetes.truststore.file, /tmp/evil.jks",
    "KUBERNETES_KEYSTORE_FILE, kubernetes.keystore.file, /tmp/evil.jks",
    "KUBERNETES_TLS_VERSIONS, kubernetes.tls.versions, TLSv1.1",
    "HTTPS_PROXY, https.proxy, http://evil.example:3128",
    "KUBERNETES_AUTH_TRYKUBECONFIG, kubernetes.auth.tryKubeConfig, false",
    "KUBERNETES_AUTH_TRYSERVICEACCOUNT, kubernetes.auth.tryServiceAccount, true",
    "KUBERNETES_DISABLE_AUTOCONFIG, kubernetes.disable.autoConfig, true",
    "KUBECONFIG_IGNORED, kubeconfig, /tmp/evil-kubeconfig",
  })
  void fabric8VariablesAndPropertiesChangeNothing(String variable, String property, String value)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("KUBECONFIG", kubeconfig());
    env.put("HOME", dir.toString());
    env.put(variable, value);
    Map<String, String> before = setProperties(Map.of(property, value));
    try {
      Config config = resolve(env, null, null);
      refreshed(config);
      try (KubeConnection conn = KubeConnection.create(config)) {
        Config used = conn.client().getConfiguration();
        assertThat(conn.server()).isEqualTo("https://10.0.0.1:6443");
        assertThat(conn.defaultNamespace()).isEqualTo("team-a");
        assertThat(conn.credentials()).isEqualTo("context one");
        assertThat(used.isTrustCerts()).isFalse();
        assertThat(used.isDisableHostnameVerification()).isFalse();
        assertThat(used.getAutoOAuthToken()).isEqualTo("abc");
        assertThat(used.getOauthToken()).isNull();
        assertThat(used.getUsername()).isNull();
        assertThat(used.getCaCertFile()).isNull();
        assertThat(used.getCaCertData()).isNull();
        assertThat(used.getClientCertFile()).isNull();
        assertThat(used.getClientKeyFile()).isNull();
        assertThat(used.getImpersonateUsername()).isNull();
        assertThat(used.getTrustStoreFile()).isNull();
        assertThat(used.getKeyStoreFile()).isNull();
        assertThat(used.getHttpsProxy()).isNull();
      }
    } finally {
      setProperties(before);
    }
  }

  /** What fabric8 re-reads on 401 and every minute is the same server and token. */
  private static void refreshed(Config config) {
    Config again = config.refresh();
    assertThat(again.getMasterUrl()).isEqualTo(config.getMasterUrl());
    assertThat(again.getNamespace()).isEqualTo(config.getNamespace());
    assertThat(again.getAutoOAuthToken()).isEqualTo(config.getAutoOAuthToken());
    assertThat(again.getOauthToken()).isEqualTo(config.getOauthToken());
    assertThat(again.isTrustCerts()).isEqualTo(config.isTrustCerts());
  }

  /** kubectl's merge: the first file to define a name, or current-context, wins. */
  @Test
  void kubeconfigFilesAreMergedTheFirstToSetAKeyWinning() throws Exception {
    String first = kubeconfig();
    String second =
        Files.writeString(
                dir.resolve("second"),
                """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster: {server: https://second.example:6443}
                - name: staging
                  cluster: {server: https://staging.example:6443}
                contexts:
                - name: one
                  context: {cluster: staging, user: u, namespace: second}
                - name: three
                  context: {cluster: staging, user: u2, namespace: team-c}
                current-context: three
                users:
                - name: u
                  user: {token: second-token}
                - name: u2
                  user: {token: u2-token}
                """)
            .toString();
    String missing = dir.resolve("missing").toString();
    String list = String.join(File.pathSeparator, missing, first, "", second, first);
    Map<String, String> env = Map.of("KUBECONFIG", list, "HOME", dir.toString());

    Config current = resolve(env, null, null);
    Config three = resolve(env, null, "three");

    assertThat(current.getCurrentContext().getName()).isEqualTo("one");
    assertThat(current.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/");
    assertThat(current.getNamespace()).isEqualTo("team-a");
    assertThat(current.getAutoOAuthToken()).isEqualTo("abc");
    assertThat(three.getMasterUrl()).isEqualTo("https://staging.example:6443/");
    assertThat(three.getNamespace()).isEqualTo("team-c");
    assertThat(three.getAutoOAuthToken()).isEqualTo("u2-token");
    assertThatThrownBy(() -> resolve(env, null, "nope"))
        .hasMessage(
            "context \"nope\" not found in kubeconfig "
                + first
                + File.pathSeparator
                + second
                + " (its contexts: one, three, two)");
  }

  @Test
  void kubeconfigThenKubeconfigVariableThenHomeInKubectlsOrder() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home/.kube")).getParent();
    Files.writeString(home.resolve(".kube/config"), KUBECONFIG.replace("team-a", "from-home"));
    String variable =
        Files.writeString(dir.resolve("variable"), KUBECONFIG.replace("team-a", "from-variable"))
            .toString();
    String flag =
        Files.writeString(dir.resolve("flag"), KUBECONFIG.replace("team-a", "from-flag"))
            .toString();
    Map<String, String> withVariable = Map.of("KUBECONFIG", variable, "HOME", home.toString());
    Map<String, String> withEmptyVariable = Map.of("KUBECONFIG", "", "HOME", home.toString());
    String nowhere = dir.resolve("nowhere").toString();

    assertThat(resolve(withVariable, flag, null).getNamespace()).isEqualTo("from-flag");
    assertThat(resolve(withVariable, null, null).getNamespace()).isEqualTo("from-variable");
    assertThat(resolve(withEmptyVariable, null, null).getNamespace()).isEqualTo("from-home");
    // KUBECONFIG set: ~/.kube/config is not read, even when none of its files exists
    assertThatThrownBy(
            () -> resolve(Map.of("KUBECONFIG", nowhere, "HOME", home.toString()), null, null))
        .hasMessageStartingWith("no Kubernetes configuration found");
  }

  /** The service account directory of a pod, with a token, a CA and a namespace. */
  private Path serviceAccount() throws Exception {
    Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(sa.resolve("token"), "sa-token\n");
    Files.writeString(sa.resolve("ca.crt"), "not read here");
    Files.writeString(sa.resolve("namespace"), "spinclean-ns");
    return sa;
  }

  private static final Map<String, String> POD =
      Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

  @Test
  void inAPodWithoutKubeconfigTheServiceAccountIsUsed() throws Exception {
    Path sa = serviceAccount();
    Map<String, String> pod = new java.util.HashMap<>(POD);
    pod.put("HOME", dir.resolve("empty-home").toString());

    Config config = new Kubeconfig(pod, sa).resolve(null, null);

    assertThat(config.getMasterUrl()).isEqualTo("https://10.96.0.1:443/");
    assertThat(config.getCaCertFile()).isEqualTo(sa.resolve("ca.crt").toString());
    assertThat(config.getAutoOAuthToken()).isEqualTo("sa-token");
    assertThat(config.getNamespace()).isEqualTo("spinclean-ns");
    assertThat(config.getFile()).isNull();
    // kubectl reads POD_NAMESPACE first; IPv6 hosts are bracketed
    pod.put("POD_NAMESPACE", "from-downward-api");
    pod.put("KUBERNETES_SERVICE_HOST", "fd00::1");
    Config v6 = new Kubeconfig(pod, sa).resolve(null, null);
    assertThat(v6.getNamespace()).isEqualTo("from-downward-api");
    assertThat(v6.getMasterUrl()).isEqualTo("https://[fd00::1]:443/");
    // a rotated token is picked up when fabric8 refreshes
    Files.writeString(sa.resolve("token"), "rotated");
    assertThat(config.refresh().getAutoOAuthToken()).isEqualTo("rotated");
    // --context names a kubeconfig context, and there is none
    assertThatThrownBy(() -> new Kubeconfig(pod, sa).resolve(null, "one"))
        .hasMessage("context \"one\" not found in kubeconfig (none found)");
  }

  @Test
  void aKubeconfigThatSelectsAContextWinsOverTheServiceAccount() throws Exception {
    Path sa = serviceAccount();
    Map<String, String> pod = new java.util.HashMap<>(POD);
    pod.put("KUBECONFIG", kubeconfig());
    String noCurrent =
        Files.writeString(
                dir.resolve("no-current"), KUBECONFIG.replace("current-context: one\n", ""))
            .toString();

    assertThat(new Kubeconfig(pod, sa).resolve(null, null).getMasterUrl())
        .isEqualTo("https://10.0.0.1:6443/");
    // kubectl: a kubeconfig that selects no context is empty, and the pod's own is used
    assertThat(new Kubeconfig(pod, sa).resolve(noCurrent, null).getMasterUrl())
        .isEqualTo("https://10.96.0.1:443/");
  }

  @Test
  void outsideAPodNothingFoundIsAnError() {
    Map<String, String> env = new java.util.HashMap<>(POD);
    env.put("HOME", dir.toString());
    env.put("KUBERNETES_MASTER", "https://k:6443");

    // the service account's token is missing: not a pod
    assertThatThrownBy(() -> resolve(env, null, null))
        .hasMessage(
            "no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG or create"
                + " ~/.kube/config (inside a pod, the service account is used)");
  }

  /**
   * fabric8 re-reads its configuration when a request gets 401 (and every minute with exec or OIDC
   * credentials), and used to apply its own system properties and variables then: the retry carried
   * {@code kubernetes.auth.token}'s token instead of the kubeconfig's.
   */
  @Test
  void aRefreshAfter401KeepsTheKubeconfigsToken() throws Exception {
    String pods = "/api/v1/namespaces/example/pods";
    Map<String, String> before =
        setProperties(
            Map.of(
                Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY, "stolen",
                Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, "http://127.0.0.1:9"));
    try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
      server.mockServer().expect().get().withPath(pods).andReturn(401, "{}").once();
      Path kubeconfig = server.writeKubeconfig(dir.resolve("refresh"), "example");
      try (KubeConnection conn = KubeConnection.open(kubeconfig.toString(), null)) {
        conn.client().pods().inNamespace("example").list();
      }
      RecordedRequest first = server.mockServer().takeRequest(5, TimeUnit.SECONDS);
      RecordedRequest retry = server.mockServer().takeRequest(5, TimeUnit.SECONDS);
      assertThat(first.getHeader("Authorization")).isEqualTo("Bearer spinclean-demo");
      assertThat(retry.getPath()).isEqualTo(pods);
      assertThat(retry.getHeader("Authorization")).isEqualTo("Bearer spinclean-demo");
    } finally {
      setProperties(before);
    }
  }

  /**
   * End to end, in a JVM of its own: fabric8's variables set around {@code spinclean plan} must not
   * move it off the kubeconfig's server, namespace and credentials. They once sent every request,
   * the kubeconfig's token included, to KUBERNETES_MASTER, and read namespace {@code decoy}.
   */
  @Test
  void fabric8VariablesDoNotRedirectAPlan() throws Exception {
    try (EmbeddedApiServer article = EmbeddedApiServer.start();
        EmbeddedApiServer decoy = EmbeddedApiServer.start()) {
      article.load(Path.of(ArticleServer.FILE));
      Path kubeconfig = article.writeKubeconfig(dir.resolve("article"), "example");
      Map<String, String> env = new java.util.HashMap<>();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("KUBERNETES_MASTER", decoy.url());
      env.put("KUBERNETES_NAMESPACE", "decoy");
      env.put("KUBERNETES_AUTH_TOKEN", "stolen");
      env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
      while (article.mockServer().takeRequest(1, TimeUnit.MILLISECONDS) != null) {
        // forget the requests that loaded the dump
      }

      Spawned run = spawn(env, "plan", "-o", "json");

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("\"namespace\": \"example\"");
      assertThat(decoy.mockServer().getRequestCount()).isZero();
      for (RecordedRequest r;
          (r = article.mockServer().takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer spinclean-demo");
      }
    }
  }

  /**
   * End to end: KUBERNETES_TRUST_CERTIFICATES=true once turned TLS verification off, and a listener
   * with a self-signed certificate received the kubeconfig's token.
   */
  @Test
  void fabric8VariablesDoNotTurnTlsVerificationOff() throws Exception {
    KubernetesMockServer selfSigned = new KubernetesMockServer(true);
    selfSigned.init(InetAddress.getLoopbackAddress(), 0);
    try {
      Path kubeconfig =
          Files.writeString(
              dir.resolve("tls"),
              KUBECONFIG
                  .replace("https://10.0.0.1:6443", selfSigned.url("/").replaceAll("/$", ""))
                  .replace("token: abc", "token: secret"));
      Map<String, String> env =
          Map.of(
              "KUBECONFIG", kubeconfig.toString(),
              "KUBERNETES_TRUST_CERTIFICATES", "true",
              "KUBERNETES_DISABLE_HOSTNAME_VERIFICATION", "true");

      Spawned run = spawn(env, "plan");

      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("TLS handshake with " + selfSigned.url("/").replaceAll("/$", ""));
      assertThat(selfSigned.getRequestCount()).isZero();
    } finally {
      selfSigned.destroy();
    }
  }

  record Spawned(int exitCode, String output) {}

  /** spinclean in its own JVM with {@code env} added to a clean environment (HOME is empty). */
  private Spawned spawn(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.spinclean.cli.Main"));
    command.addAll(List.of(args));
    Path output = dir.resolve("output-" + System.nanoTime());
    Path home = Files.createDirectories(dir.resolve("home"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("SPINCLEAN"));
    builder.environment().put("HOME", home.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("spinclean did not end within 60 s: " + Files.readString(output));
    }
    return new Spawned(process.exitValue(), Files.readString(output));
  }

  /** Sets (or, for a null value, clears) system properties; returns what they were. */
  static Map<String, String> setProperties(Map<String, String> properties) {
    Map<String, String> before = new java.util.HashMap<>();
    properties.forEach(
        (key, value) -> {
          before.put(
              key, value == null ? System.clearProperty(key) : System.setProperty(key, value));
        });
    return before;
  }
}
