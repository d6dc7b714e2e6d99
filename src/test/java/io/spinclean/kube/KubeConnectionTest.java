package io.spinclean.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.core.ApiException;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
