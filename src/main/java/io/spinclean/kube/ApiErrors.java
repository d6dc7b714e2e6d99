package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.ApiException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where a failed API request becomes the sentence a user reads: what was being done
 * (verb, resource, namespace), what went wrong, and what to do about it. Reading and writing share
 * it so that every command words the same failure the same way. Examples:
 *
 * <ul>
 *   <li>{@code cannot list replicasets in namespace x: unauthorized (401): check the credentials of
 *       context y}
 *   <li>{@code cannot delete replicasets in namespace x: forbidden (403): grant the Role in
 *       deploy/}
 *   <li>{@code cannot reach the Kubernetes API server at https://10.0.0.1:6443: connection refused}
 *   <li>{@code TLS handshake with https://10.0.0.1:6443 failed: ...; spinclean keeps certificate
 *       verification on}
 *   <li>{@code cannot list pods in namespace x: timed out after 30s waiting for the Kubernetes API
 *       server at https://10.0.0.1:6443}
 * </ul>
 */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * One sentence for a failed request, e.g. {@code cannot list replicasets in namespace x: ...}.
   *
   * @param client the client the request went through: its server URL, context and request timeout
   *     appear in the message
   * @param verb e.g. "list", "delete", "patch"
   * @param resource e.g. "replicasets", or "replicaset web-v001"
   * @param namespace null for a request across all namespaces
   * @param e a {@link KubernetesClientException}, or the I/O error of a plain HTTP request
   */
  public static String describe(
      KubernetesClient client, String verb, String resource, String namespace, Exception e) {
    String action =
        verb
            + " "
            + resource
            + (namespace == null ? " in all namespaces" : " in namespace " + namespace);
    return describe(client, action, namespace == null, e);
  }

  /** {@link #describe(KubernetesClient, String, String, String, Exception)} as an exception. */
  public static ApiException exception(
      KubernetesClient client, String verb, String resource, String namespace, Exception e) {
    return new ApiException(describe(client, verb, resource, namespace, e), e);
  }

  /**
   * One sentence for a failed request, e.g. {@code cannot get namespace x: ...}.
   *
   * @param action what was being done, e.g. "get namespace x"
   * @param clusterWide the request needs a ClusterRole rather than a Role
   */
  public static String describe(
      KubernetesClient client, String action, boolean clusterWide, Exception e) {
    String server = server(client);
    int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
    String prefix = "cannot " + action + ": ";
    if (code > 0) {
      KubernetesClientException k = (KubernetesClientException) e;
      return prefix + http(client, code, serverMessage(k), clusterWide);
    }
    // The chain is fabric8's wrapper, an IOException, then the cause that says what happened,
    // e.g. ConnectException <- UnresolvedAddressException: look for the most telling one first.
    Throwable ssl = find(e, SSLException.class);
    if (ssl != null) {
      return "TLS handshake with "
          + server
          + " failed: "
          + tlsReason(ssl)
          + "; spinclean keeps certificate verification on";
    }
    if (find(e, UnknownHostException.class, UnresolvedAddressException.class) != null) {
      return "cannot reach the Kubernetes API server at " + server + ": unknown host";
    }
    if (find(e, HttpConnectTimeoutException.class) != null) {
      return "cannot reach the Kubernetes API server at "
          + server
          + ": no connection within "
          + seconds(client.getConfiguration().getConnectionTimeout());
    }
    if (find(e, HttpTimeoutException.class, SocketTimeoutException.class, TimeoutException.class)
        != null) {
      return prefix
          + "timed out after "
          + seconds(client.getConfiguration().getRequestTimeout())
          + " waiting for the Kubernetes API server at "
          + server;
    }
    if (find(e, ConnectException.class) != null) {
      return "cannot reach the Kubernetes API server at " + server + ": connection refused";
    }
    return prefix + "request to the Kubernetes API server at " + server + " failed: " + deepest(e);
  }

  /**
   * The error a typed request would have thrown for an HTTP error answer: its code, and the message
   * of the Kubernetes Status in its body (or the body itself when it is not one).
   */
  public static KubernetesClientException failure(int code, String body) {
    String message = body.strip();
    try {
      JsonNode status = JsonMapper.builder().build().readTree(body); // an error: rare, built here
      if (status.path("message").isString()) {
        message = status.path("message").stringValue();
      }
    } catch (JacksonException notJson) {
      // a proxy's plain-text answer: its text is the message
    }
    Status status = new StatusBuilder().withCode(code).withMessage(message).build();
    return new KubernetesClientException(message, code, status);
  }

  @SafeVarargs
  private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return t;
        }
      }
    }
    return null;
  }

  private static String http(
      KubernetesClient client, int code, String message, boolean clusterWide) {
    String detail = message.isEmpty() ? "" : ": " + message;
    return switch (code) {
      case 401 -> "unauthorized (401): check the credentials of " + credentials(client);
      case 403 ->
          "forbidden (403): grant the " + (clusterWide ? "ClusterRole" : "Role") + " in deploy/";
      case 404 -> "not found (404)" + detail;
      case 409 -> "conflict (409)" + detail;
      case 410 -> "expired (410 Gone)" + detail;
      case 429 -> "the API server is throttling requests (429 Too Many Requests)" + detail;
      default ->
          code >= 500
              ? "the API server failed (" + code + ")" + detail
              : "the API server answered " + code + detail;
    };
  }

  /** The kubeconfig context, or in a pod without kubeconfig the pod's service account. */
  static String credentials(KubernetesClient client) {
    Config config = client.getConfiguration();
    NamedContext context = config.getCurrentContext();
    if (context != null && context.getName() != null) {
      return "context " + context.getName();
    }
    return config.getFile() == null ? "the pod's service account" : "the current context";
  }

  public static String server(KubernetesClient client) {
    String url = String.valueOf(client.getMasterUrl());
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String serverMessage(KubernetesClientException e) {
    String text = e.getStatus() == null ? null : e.getStatus().getMessage();
    if (text == null || text.isBlank()) {
      return "";
    }
    text = text.strip().replaceAll("\\s+", " ");
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static String tlsReason(Throwable ssl) {
    String reason = deepest(ssl);
    if (reason.contains("unable to find valid certification path")) {
      return "the server's certificate is not signed by a trusted certificate authority"
          + " (check certificate-authority-data in the kubeconfig)";
    }
    return reason;
  }

  /** The innermost cause that says something: fabric8's outer messages only repeat the request. */
  private static String deepest(Throwable e) {
    String said = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        said = t.getMessage();
      }
    }
    return said == null ? e.getClass().getSimpleName() : said.strip().replaceAll("\\s+", " ");
  }

  private static String seconds(Integer millis) {
    if (millis == null || millis <= 0) {
      return "no time limit";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
