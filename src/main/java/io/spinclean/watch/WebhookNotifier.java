package io.spinclean.watch;

import io.spinclean.core.DeletionResult;
import io.spinclean.core.VersionPlan;
import io.spinclean.render.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code --notify-webhook URL}: POSTs one JSON summary per decision, with a Slack-compatible {@code
 * text} field and the details beside it. Decisions reach it only when something changed (the
 * controller reports a decision once until its cluster changes).
 *
 * <p>Invariants: at most {@link #ATTEMPTS} requests per decision; each attempt ends within {@link
 * #TIMEOUT}, connecting, sending and the answer's status line and headers included (the body is
 * never read: the status says whether the summary was delivered), so a decision is done within 3 ×
 * 5 s plus the waits between attempts (1 s, 2 s), whatever the endpoint does. A 2xx ends the
 * attempts, so does a 4xx other than 429 (retrying will not help). No redirect is followed. The URL
 * (a Slack webhook's path is its secret) is never shown: messages say {@link #redact}'s {@code
 * scheme://host:port/…}. It blocks its caller: wrap it in an {@link AsyncReporter}.
 */
public final class WebhookNotifier implements Reporter {
  static final int ATTEMPTS = 3;
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI url;
  private final Duration firstRetry;
  private final Duration timeout;
  private final Consumer<String> onError;
  private final HttpClient http;

  /**
   * @param firstRetry the wait before the second attempt; doubled before the third
   * @param onError told (one sentence) when a summary could not be delivered
   */
  public WebhookNotifier(URI url, Duration firstRetry, Consumer<String> onError) {
    this(url, firstRetry, TIMEOUT, onError);
  }

  /** With another timeout than {@link #TIMEOUT} (tests). */
  WebhookNotifier(URI url, Duration firstRetry, Duration timeout, Consumer<String> onError) {
    this.url = Objects.requireNonNull(url, "url");
    this.firstRetry = Objects.requireNonNull(firstRetry, "firstRetry");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.onError = Objects.requireNonNull(onError, "onError");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Why {@code url} cannot be a webhook, or empty: it must be https, or plain http to a loopback
   * address ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}; a sidecar or a test), since the
   * URL is a secret and the payload names what was deleted. The reason shows the URL redacted.
   */
  public static Optional<String> problem(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (url.getHost() == null || scheme.isEmpty()) {
      return Optional.of("must be an https URL, not a URL without a scheme and host");
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of("must be an https URL, not " + redact(url));
    }
    if (scheme.equals("http") && !loopback(url.getHost())) {
      return Optional.of(
          "must use https (plain http only to a loopback address), not " + redact(url));
    }
    return Optional.empty();
  }

  /** {@code scheme://host:port/…}: what may be shown of a webhook URL (no user, path or query). */
  public static String redact(URI url) {
    if (url.getHost() == null) {
      return "a URL without a scheme and host";
    }
    return String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT)
        + "://"
        + url.getHost()
        + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + "/…";
  }

  /** An address literal or {@code localhost}; a name is never resolved (DNS could say anything). */
  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[")) {
      try {
        return InetAddress.getAllByName(h)[0].isLoopbackAddress(); // a literal: no lookup
      } catch (UnknownHostException e) {
        return false;
      }
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return octets[0].equals("127");
  }

  @Override
  public void report(Decision decision) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(payload(decision)))
            .build();
    String failure = null;
    Duration wait = firstRetry;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      CompletableFuture<HttpResponse<InputStream>> call =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
      try {
        // The deadline of the whole attempt: HttpRequest.timeout stops counting once the first
        // bytes of the answer arrive, and a body read to its end could trickle for ever.
        HttpResponse<InputStream> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        closeQuietly(response.body());
        int code = response.statusCode();
        if (code / 100 == 2) {
          return;
        }
        failure = "HTTP " + code;
        if (code / 100 == 4 && code != 429) {
          break;
        }
      } catch (TimeoutException e) {
        call.cancel(true);
        failure = "no complete answer within " + format(timeout);
      } catch (ExecutionException e) {
        failure = describe(e.getCause());
      } catch (InterruptedException e) {
        call.cancel(true);
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        wait = wait.multipliedBy(2);
      }
    }
    onError.accept(
        "cannot notify " + redact(url) + " about " + decision.plan().key() + " (" + failure + ")");
  }

  private String describe(Throwable e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + format(timeout);
    }
    if (e instanceof HttpTimeoutException) {
      return "no complete answer within " + format(timeout);
    }
    String message = e.getMessage();
    if (message != null) {
      // The JDK's messages name at most the host; should one ever quote the URL, cut its secret.
      for (String secret :
          new String[] {
            url.toString(), url.getRawPath(), url.getPath(), url.getRawQuery(), url.getRawUserInfo()
          }) {
        if (secret != null && secret.length() > 1) {
          message = message.replace(secret, "…");
        }
      }
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close(); // unread: the connection is closed, not kept for another request
    } catch (IOException e) {
      // nothing more to read or to close
    }
  }

  /**
   * The JSON body: {@code text} for Slack (cluster data in it escaped as Slack requires, so it can
   * neither mention nor link), then the fields a program reads, as they are.
   */
  static String payload(Decision d) {
    var key = d.plan().key();
    List<String> versions = new ArrayList<>();
    if (d.report().isPresent()) {
      for (DeletionResult r : d.report().get().results()) {
        versions.add(
            "{\"name\":"
                + SafeText.json(r.name())
                + ",\"outcome\":"
                + SafeText.json(r.outcome().name())
                + "}");
      }
    } else {
      for (VersionPlan v : d.plan().deletions()) {
        versions.add(
            "{\"name\":"
                + SafeText.json(v.name())
                + ",\"reason\":"
                + SafeText.json(v.reason().name())
                + "}");
      }
    }
    String text = "spinclean: " + key + ": " + d.message();
    return "{\"text\":"
        + SafeText.json(SafeText.slack(text))
        + ",\"kind\":"
        + SafeText.json(d.kind().name())
        + ",\"namespace\":"
        + SafeText.json(key.namespace())
        + ",\"application\":"
        + SafeText.json(key.application())
        + ",\"cluster\":"
        + SafeText.json(key.cluster())
        + ",\"verdict\":"
        + SafeText.json(d.plan().verdict().name())
        + ",\"reason\":"
        + SafeText.json(d.plan().reason().name())
        + ",\"versions\":["
        + String.join(",", versions)
        + "]}";
  }
}
