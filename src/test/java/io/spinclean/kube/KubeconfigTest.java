package io.spinclean.kube;

import static io.spinclean.kube.KubeConnectionTest.KUBECONFIG;
import static io.spinclean.kube.KubeConnectionTest.setProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.spinclean.core.ApiException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kubeconfig}: the connection found exactly as kubectl finds it, from an injected
 * environment; fabric8's own variables and system properties change nothing (issue 10, High #1).
 */
class KubeconfigTest {
  @TempDir Path dir;

  private String kubeconfig() throws Exception {
    return Files.writeString(dir.resolve("config"), KUBECONFIG).toString();
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
    "ALL_PROXY, https.proxy, http://evil.example:3128",
    "ALL_PROXY, all.proxy, http://evil.example:3128",
    "KUBERNETES_AUTH_TRYKUBECONFIG, kubernetes.auth.tryKubeConfig, false",
    "KUBERNETES_AUTH_TRYSERVICEACCOUNT, kubernetes.auth.tryServiceAccount, true",
    "KUBERNETES_DISABLE_AUTOCONFIG, kubernetes.disable.autoConfig, true",
    "KUBECONFIG_IGNORED, kubeconfig, /tmp/evil-kubeconfig",
  })
  void fabric8VariablesAndPropertiesChangeNothing(String variable, String property, String value)
      throws Exception {
    Map<String, String> env = new HashMap<>();
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

  /**
   * kubectl's proxy variables (Go's ProxyFromEnvironment) are honoured as kubectl honours them: for
   * an https server HTTPS_PROXY (or https_proxy), NO_PROXY's hosts listed, never for a loopback
   * server; a cluster's proxy-url in the kubeconfig wins.
   */
  @Test
  void kubectlsProxyVariablesAreHonouredAsKubectlHonoursThem() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig());
    env.put("https_proxy", "http://proxy.example:3128");
    env.put("NO_PROXY", " .internal , 10.1.0.0/16,");

    Config prod = resolve(env, null, null);
    assertThat(prod.getHttpsProxy()).isEqualTo("http://proxy.example:3128");
    assertThat(prod.getNoProxy()).containsExactly(".internal", "10.1.0.0/16");
    refreshed(prod);
    assertThat(prod.refresh().getHttpsProxy()).isEqualTo("http://proxy.example:3128");

    Config local = resolve(env, null, "two"); // http://127.0.0.1:9999: loopback, never proxied
    assertThat(local.getHttpsProxy()).isNull();
    assertThat(local.getHttpProxy()).isNull();

    Path withProxyUrl =
        Files.writeString(
            dir.resolve("proxied"),
            KUBECONFIG.replace(
                "server: https://10.0.0.1:6443",
                "server: https://10.0.0.1:6443\n    proxy-url: http://kubeconfig-proxy:8080"));
    Config fromFile = resolve(env, withProxyUrl.toString(), null);
    // fabric8 files an http:// proxy-url as its http proxy and uses it for https servers too
    assertThat(fromFile.getHttpProxy()).isEqualTo("http://kubeconfig-proxy:8080");
    assertThat(fromFile.getHttpsProxy()).isNull();
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

  /** --all-contexts: every context of the merged files, in kubeconfig order, each once. */
  @Test
  void contextsAreListedInKubeconfigOrderTheFirstFileWinningAName() throws Exception {
    String first = kubeconfig();
    String second =
        Files.writeString(
                dir.resolve("second"),
                """
                apiVersion: v1
                kind: Config
                contexts:
                - name: zeta
                  context: {cluster: prod, user: u}
                - name: one
                  context: {cluster: prod, user: u}
                - name: alpha
                  context: {cluster: prod, user: u}
                """)
            .toString();
    Map<String, String> env =
        Map.of("KUBECONFIG", first + File.pathSeparator + second, "HOME", dir.toString());
    Kubeconfig found = new Kubeconfig(env, dir.resolve("no-service-account"));

    assertThat(found.contexts(null)).containsExactly("one", "two", "zeta", "alpha");
    assertThat(found.contexts(second)).containsExactly("zeta", "one", "alpha");
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
    Map<String, String> pod = new HashMap<>(POD);
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
    Map<String, String> pod = new HashMap<>(POD);
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
    Map<String, String> env = new HashMap<>(POD);
    env.put("HOME", dir.toString());
    env.put("KUBERNETES_MASTER", "https://k:6443");

    // the service account's token is missing: not a pod
    assertThatThrownBy(() -> resolve(env, null, null))
        .hasMessage(
            "no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG or create"
                + " ~/.kube/config (inside a pod, the service account is used)");
  }
}
