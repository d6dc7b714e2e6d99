package io.spinclean.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void withoutAKubeconfigOnlyAPodOrANamedServerWillDo() {
    assertThat(KubeConnection.configuredWithoutFile(Map.of())).isFalse();
    assertThat(KubeConnection.configuredWithoutFile(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")))
        .isTrue();
    assertThat(KubeConnection.configuredWithoutFile(Map.of("KUBERNETES_MASTER", "https://k:6443")))
        .isTrue();
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
}
