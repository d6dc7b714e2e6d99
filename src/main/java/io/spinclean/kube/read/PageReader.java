package io.spinclean.kube.read;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.spinclean.core.ApiException;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.ParseErrors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.JsonNode;

/**
 * One GET of a list page through fabric8's HTTP client (the kubeconfig's authentication, token
 * refresh and retries come with it), its body streamed item by item into {@link ObjectFields}: no
 * fabric8 object and no tree of the page is built.
 */
final class PageReader {
  /** Takes one item of a page. */
  @FunctionalInterface
  interface ItemSink {
    /** Takes {@code item}, and {@code tree}, the item as sent, when trees were asked for. */
    void accept(ObjectFields item, JsonNode tree) throws ApiException;
  }

  private final KubernetesClient client;

  PageReader(KubernetesClient client) {
    this.client = client;
  }

  /**
   * GETs {@code path?[continue=token&]limit=N} and hands each item to {@code sink}.
   *
   * @param what for messages, e.g. "replicasets"
   * @param trees hand each item also as a tree (one at a time), for a backup
   * @return the next continue token, or null
   * @throws KubernetesClientException the server answered an error (its code), or the request
   *     failed (code 0, the cause says why)
   * @throws ApiException a page that is not a list spinclean can read
   */
  String read(String path, String token, long limit, String what, boolean trees, ItemSink sink)
      throws ApiException {
    String query =
        (token == null ? "" : "continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&")
            + "limit="
            + limit;
    HttpResponse<InputStream> response = get(path + "?" + query);
    try (InputStream body = response.body()) {
      if (!response.isSuccessful()) {
        throw ApiErrors.failure(
            response.code(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      return stream(body, what, trees, sink);
    } catch (IOException e) {
      throw new KubernetesClientException("reading the list failed", e);
    }
  }

  /**
   * GETs one object, e.g. {@code /api/v1/namespaces/x}, for whether it exists.
   *
   * @throws KubernetesClientException as {@link #read}; 404 when it does not exist
   */
  void get(String path, String what) {
    HttpResponse<InputStream> response = get(path);
    try (InputStream body = response.body()) {
      if (!response.isSuccessful()) {
        throw ApiErrors.failure(
            response.code(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new KubernetesClientException("reading " + what + " failed", e);
    }
  }

  private HttpResponse<InputStream> get(String pathAndQuery) {
    HttpClient http = client.getHttpClient();
    HttpRequest.Builder request =
        http.newHttpRequestBuilder()
            .uri(ApiErrors.server(client) + pathAndQuery)
            .header("Accept", "application/json");
    Integer timeout = client.getConfiguration().getRequestTimeout();
    if (timeout != null && timeout > 0) {
      request.timeout(timeout, TimeUnit.MILLISECONDS);
    }
    return send(http, request.build());
  }

  private static HttpResponse<InputStream> send(HttpClient http, HttpRequest request) {
    try {
      return http.sendAsync(request, InputStream.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof KubernetesClientException k) {
        throw k;
      }
      throw new KubernetesClientException("request failed", cause);
    }
  }

  private String stream(InputStream body, String what, boolean trees, ItemSink sink)
      throws ApiException {
    String next = null;
    try (JsonParser p = Leaves.JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(what, "not a JSON object");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("items") && t == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode tree = trees ? Leaves.JSON.readTree(p) : null;
            ObjectFields item = trees ? fields(tree) : ObjectFields.read(p, null);
            sink.accept(item, tree);
          }
        } else if (field.equals("metadata") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean isContinue = p.currentName().equals("continue");
            p.nextToken();
            if (isContinue) {
              next = Leaves.text(p);
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (JacksonIOException e) {
      throw new KubernetesClientException("reading the list failed", e);
    } catch (JacksonException e) {
      throw malformed(what, ParseErrors.describe(e));
    }
    return next;
  }

  private static ObjectFields fields(JsonNode tree) {
    try (JsonParser p = Leaves.JSON.treeAsTokens(tree)) {
      p.nextToken();
      return ObjectFields.read(p, null);
    }
  }

  private ApiException malformed(String what, String why) {
    return new ApiException(
        "the API server at "
            + ApiErrors.server(client)
            + " sent a list of "
            + what
            + " that spinclean cannot read ("
            + why
            + ")");
  }
}
