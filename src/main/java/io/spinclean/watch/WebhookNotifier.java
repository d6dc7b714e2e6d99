package io.spinclean.watch;

import io.spinclean.core.DeletionResult;
import io.spinclean.core.VersionPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code --notify-webhook URL}: POSTs one JSON summary per decision, with a Slack-compatible {@code
 * text} field and the details beside it. Decisions reach it only when something changed (the
 * controller reports a decision once until its cluster changes).
 *
 * <p>Invariant: at most {@link #ATTEMPTS} requests per decision, each with a {@link #TIMEOUT}; a
 * 2xx ends them, so does a 4xx other than 429 (retrying will not help). It blocks its caller: wrap
 * it in an {@link AsyncReporter}.
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
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
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
      try {
        int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code / 100 == 2) {
          return;
        }
        failure = "HTTP " + code;
        if (code / 100 == 4 && code != 429) {
          break;
        }
      } catch (IOException e) {
        failure =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
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
        "cannot notify "
            + url.getHost()
            + " about "
            + decision.plan().key()
            + " ("
            + failure
            + ")");
  }

  /** The JSON body: {@code text} for Slack, then the fields a program reads. */
  static String payload(Decision d) {
    var key = d.plan().key();
    List<String> versions = new ArrayList<>();
    if (d.report().isPresent()) {
      for (DeletionResult r : d.report().get().results()) {
        versions.add(
            "{\"name\":"
                + LogReporter.quote(r.name())
                + ",\"outcome\":"
                + LogReporter.quote(r.outcome().name())
                + "}");
      }
    } else {
      for (VersionPlan v : d.plan().deletions()) {
        versions.add(
            "{\"name\":"
                + LogReporter.quote(v.name())
                + ",\"reason\":"
                + LogReporter.quote(v.reason().name())
                + "}");
      }
    }
    String text = "spinclean: " + key + ": " + d.message();
    return "{\"text\":"
        + LogReporter.quote(text)
        + ",\"kind\":"
        + LogReporter.quote(d.kind().name())
        + ",\"namespace\":"
        + LogReporter.quote(key.namespace())
        + ",\"application\":"
        + LogReporter.quote(key.application())
        + ",\"cluster\":"
        + LogReporter.quote(key.cluster())
        + ",\"verdict\":"
        + LogReporter.quote(d.plan().verdict().name())
        + ",\"reason\":"
        + LogReporter.quote(d.plan().reason().name())
        + ",\"versions\":["
        + String.join(",", versions)
        + "]}";
  }
}
