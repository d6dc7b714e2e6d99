package io.spinclean.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sentences of failures the mock server cannot easily produce; no request is sent. */
class ApiErrorsTest {
  static final String SERVER = "https://10.0.0.1:6443";
  private KubernetesClient client = client("prod");

  private static KubernetesClient client(String context) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(SERVER)
            .withConnectionTimeout(10_000)
            .build();
    if (context != null) {
      config.setCurrentContext(new NamedContextBuilder().withName(context).build());
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private String describe(Exception e) {
    return ApiErrors.describe(client, "delete", "replicaset web-v001", "x", e);
  }

  private static KubernetesClientException status(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).build());
  }

  @Test
  void httpFailuresKeepTheServersExplanation() {
    assertThat(describe(status(404, "replicasets.apps \"web-v001\" not found")))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: not found (404):"
                + " replicasets.apps \"web-v001\" not found");
    assertThat(describe(status(409, "Precondition failed: UID in precondition: a")))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: conflict (409):"
                + " Precondition failed: UID in precondition: a");
    assertThat(describe(status(429, null)))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: the API server is throttling"
                + " requests (429 Too Many Requests)");
    assertThat(describe(status(500, "etcd\n   leader changed")))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: the API server failed (500):"
                + " etcd leader changed");
    assertThat(describe(status(500, "x".repeat(300)))).endsWith(": " + "x".repeat(200) + "...");
  }

  @Test
  void connectionFailuresNameTheServer() {
    var unknownHost =
        new KubernetesClientException(
            "Operation: [delete] failed.",
            new IOException(new ConnectException().initCause(new UnresolvedAddressException())));
    var refused =
        new KubernetesClientException("Operation: [delete] failed.", new ConnectException());
    var connectTimeout =
        new KubernetesClientException(
            "Operation: [delete] failed.",
            new HttpConnectTimeoutException("HTTP connect timed out"));

    assertThat(describe(unknownHost))
        .isEqualTo("cannot reach the Kubernetes API server at " + SERVER + ": unknown host");
    assertThat(describe(refused))
        .isEqualTo("cannot reach the Kubernetes API server at " + SERVER + ": connection refused");
    assertThat(describe(connectTimeout))
        .isEqualTo(
            "cannot reach the Kubernetes API server at " + SERVER + ": no connection within 10s");
  }

  @Test
  void aPlainIoErrorOfARawRequestIsDescribedToo() {
    assertThat(describe(new IOException("Connection reset")))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: request to the Kubernetes API"
                + " server at "
                + SERVER
                + " failed: Connection reset");
  }

  @Test
  void unauthorizedInsideAPodNamesTheServiceAccount() {
    client.close();
    client = client(null);

    assertThat(describe(status(401, "Unauthorized")))
        .isEqualTo(
            "cannot delete replicaset web-v001 in namespace x: unauthorized (401): check the"
                + " credentials of the pod's service account");
  }
}
