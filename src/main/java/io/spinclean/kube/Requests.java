package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The write requests of {@code apply}, sent as plain HTTP through the client's own HTTP stack (same
 * authentication, TLS and request timeout). Plain, because fabric8's delete cannot send a uid
 * precondition, and its patch reads the object first.
 *
 * <p>Transient failures (429, 5xx, I/O errors such as a timeout) are retried here at most {@link
 * #MAX_RETRIES} times, waiting what the server asks in {@code Retry-After} (capped at {@link
 * #MAX_RETRY_AFTER}) or else an exponential backoff. fabric8 8.0.0 reads Retry-After but then
 * schedules the retry after its own interval, so its retries are switched off for these requests.
 * Retrying a write is safe: deletes carry preconditions and patches test the uid and remove labels.
 * A retry's answer says whether an earlier attempt may have been carried out ({@link
 * Reply#lostEarlier}): a 404 after it is most likely our own delete.
 */
public final class Requests {
  public static final int MAX_RETRIES = 3;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final HttpClient http;
  private final KubernetesSerialization json;
  private final Sleeper sleeper;
  private final String base;
  private final long timeoutMillis;
  private final BooleanSupplier stopping;

  public Requests(KubernetesClient client, Sleeper sleeper) {
    this(client, sleeper, () -> false);
  }

  /**
   * @param stopping once true, a failed request is not retried (shutdown must not wait 30 s)
   */
  public Requests(KubernetesClient client, Sleeper sleeper, BooleanSupplier stopping) {
    this.stopping = stopping;
    RequestConfig noRetries =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .build();
    this.client = client;
    this.http = client.getHttpClient().newBuilder().tag(noRetries).build();
    this.json = client.getKubernetesSerialization();
    this.sleeper = sleeper;
    String master = client.getMasterUrl().toString();
    this.base = master.endsWith("/") ? master : master + "/";
    this.timeoutMillis = client.getConfiguration().getRequestTimeout();
  }

  /**
   * What the API server answered, after any retries.
   *
   * @param lostEarlier how an earlier attempt ended that the server may have carried out while its
   *     answer was lost (a 5xx, a timeout, a dropped connection), e.g. "500 Internal Server Error";
   *     empty when this is the first answer or the earlier ones were refusals (429)
   */
  public record Reply(int code, String body, Optional<Duration> retryAfter, String lostEarlier) {
    Reply(int code, String body, Optional<Duration> retryAfter) {
      this(code, body, retryAfter, "");
    }

    public boolean ok() {
      return code >= 200 && code < 300;
    }

    Reply afterLost(String lost) {
      return new Reply(code, body, retryAfter, lost);
    }
  }

  public Reply delete(String path, Object deleteOptions) throws IOException, InterruptedException {
    return send("DELETE", path, "application/json", json.asJson(deleteOptions));
  }

  public Reply jsonPatch(String path, String patch) throws IOException, InterruptedException {
    return send("PATCH", path, "application/json-patch+json", patch);
  }

  public String toJson(Object value) {
    return json.asJson(value);
  }

  public <T> T parse(Reply reply, Class<T> type) {
    return json.unmarshal(reply.body(), type);
  }

  /** The error a non-2xx reply stands for, with the server's Status when it sent one. */
  public KubernetesClientException failure(Reply reply) {
    Status status = null;
    try {
      Status parsed = json.unmarshal(reply.body(), Status.class);
      if (parsed != null && "Status".equals(parsed.getKind())) {
        status = parsed;
      }
    } catch (RuntimeException notAStatus) {
      // fall through: some proxies answer with HTML or plain text
    }
    if (status == null) {
      String text = reply.body().strip();
      status =
          new StatusBuilder()
              .withCode(reply.code())
              .withMessage(text.length() > 200 ? text.substring(0, 200) + "..." : text)
              .build();
    } else if (status.getCode() == null || status.getCode() == 0) {
      status.setCode(reply.code());
    }
    return new KubernetesClientException(status);
  }

  private Reply send(String method, String path, String contentType, String body)
      throws IOException, InterruptedException {
    String lost = "";
    for (int attempt = 0; ; attempt++) {
      Reply reply = null;
      IOException error = null;
      try {
        reply = once(method, path, contentType, body);
      } catch (IOException e) {
        error = e;
      }
      boolean transientFailure = error != null || reply.code() == 429 || reply.code() >= 500;
      if (!transientFailure || attempt == MAX_RETRIES || stopping.getAsBoolean()) {
        if (error != null) {
          throw error;
        }
        return lost.isEmpty() ? reply : reply.afterLost(lost);
      }
      // A 429 is refused before the server acts; a 5xx or no answer may follow the write itself.
      if (lost.isEmpty() && (error != null || reply.code() >= 500)) {
        lost = error != null ? noAnswer(error) : reply.code() + " " + reason(reply.code());
      }
      sleeper.sleep(delay(reply, attempt));
    }
  }

  private static String noAnswer(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException) {
        return "timed out";
      }
    }
    return "connection lost";
  }

  private static String reason(int code) {
    return switch (code) {
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Server Error";
    };
  }

  private static Duration delay(Reply reply, int attempt) {
    if (reply != null && reply.retryAfter().isPresent()) {
      Duration asked = reply.retryAfter().get();
      return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    }
    return FIRST_BACKOFF.multipliedBy(1L << attempt);
  }

  private Reply once(String method, String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = http.newHttpRequestBuilder().uri(base + path);
    request =
        "DELETE".equals(method)
            ? request.delete(contentType, body)
            : request.patch(contentType, body);
    if (timeoutMillis > 0) {
      request.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request.build(), String.class);
    try {
      HttpResponse<String> response = pending.get();
      String text = response.body() == null ? "" : response.body();
      int code = response.code();
      boolean retriable = code == 429 || code >= 500;
      return new Reply(
          code,
          text,
          retriable ? retryAfter(response.header("Retry-After"), text) : Optional.empty());
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause.getMessage()), cause);
    }
  }

  /** Retry-After as delta-seconds or HTTP-date; else the Status' details.retryAfterSeconds. */
  private Optional<Duration> retryAfter(String header, String body) {
    if (header != null && !header.isBlank()) {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
      } catch (NumberFormatException notSeconds) {
        try {
          ZonedDateTime at =
              ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
          Duration left = Duration.between(sleeper.now(), at.toInstant());
          return Optional.of(left.isNegative() ? Duration.ZERO : left);
        } catch (DateTimeParseException notADate) {
          return Optional.empty();
        }
      }
    }
    try {
      Status status = json.unmarshal(body, Status.class);
      if (status != null
          && status.getDetails() != null
          && status.getDetails().getRetryAfterSeconds() != null) {
        return Optional.of(Duration.ofSeconds(status.getDetails().getRetryAfterSeconds()));
      }
    } catch (RuntimeException notAStatus) {
      // no hint in the body
    }
    return Optional.empty();
  }

  /** One sentence for a failed request: what was being done and what went wrong. */
  public String describe(String verb, String resource, String namespace, Exception e) {
    return ApiErrors.describe(client, verb, resource, namespace, e);
  }
}
