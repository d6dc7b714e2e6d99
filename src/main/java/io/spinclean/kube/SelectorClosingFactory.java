package io.spinclean.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * fabric8's JDK HTTP client factory, keeping the JDK clients it builds so that {@link #end} can
 * stop them. fabric8's close() leaves a JDK client's selector thread in {@code epoll_wait}, and at
 * exit HotSpot waits up to 300 ms for a thread in native code (docs/performance.md). One factory
 * per connection: ending it touches no other connection's client.
 */
final class SelectorClosingFactory extends JdkHttpClientFactory {
  /** {@code HttpClientImpl(7)}: how the JDK's client (17 to 25) prints itself, with its id. */
  private static final Pattern ID = Pattern.compile("\\((\\d+)\\)$");

  private static final Duration END_WAIT = Duration.ofSeconds(1);

  private final List<HttpClient> built = new ArrayList<>();

  @Override
  protected HttpClient.Builder createNewHttpClientBuilder() {
    return new Keeping(super.createNewHttpClientBuilder());
  }

  /**
   * Ends every JDK client built here, after fabric8 has closed its side, by interrupting its
   * selector thread: the loop of jdk.internal.net.http.HttpClientImpl.SelectorManager runs {@code
   * while (!Thread.currentThread().isInterrupted() ...)} on 17 and 25, and shuts the client down
   * when it ends. The same way on every JDK, and it never blocks: {@code HttpClient.close()} (JDK
   * 21+) would wait for every exchange still open, e.g. a watch's. Waits at most {@link #END_WAIT}
   * per client for its thread to end; never throws.
   */
  void end() {
    List<HttpClient> clients;
    synchronized (built) {
      clients = List.copyOf(built);
      built.clear();
    }
    for (HttpClient client : clients) {
      Thread selector = selectorOf(client);
      if (selector == null) {
        continue;
      }
      selector.interrupt();
      try {
        selector.join(END_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The client's {@code HttpClient-<id>-SelectorManager} thread, or null (already ended). */
  private static Thread selectorOf(HttpClient client) {
    Matcher id = ID.matcher(String.valueOf(client));
    if (!id.find()) {
      return null;
    }
    String name = "HttpClient-" + id.group(1) + "-SelectorManager";
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** A builder that hands every client it builds to the factory. */
  private final class Keeping implements HttpClient.Builder {
    private final HttpClient.Builder delegate;

    Keeping(HttpClient.Builder delegate) {
      this.delegate = delegate;
    }

    @Override
    public HttpClient build() {
      HttpClient client = delegate.build();
      synchronized (built) {
        built.add(client);
      }
      return client;
    }

    @Override
    public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
      delegate.cookieHandler(cookieHandler);
      return this;
    }

    @Override
    public HttpClient.Builder connectTimeout(Duration duration) {
      delegate.connectTimeout(duration);
      return this;
    }

    @Override
    public HttpClient.Builder sslContext(SSLContext sslContext) {
      delegate.sslContext(sslContext);
      return this;
    }

    @Override
    public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
      delegate.sslParameters(sslParameters);
      return this;
    }

    @Override
    public HttpClient.Builder executor(Executor executor) {
      delegate.executor(executor);
      return this;
    }

    @Override
    public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
      delegate.followRedirects(policy);
      return this;
    }

    @Override
    public HttpClient.Builder version(HttpClient.Version version) {
      delegate.version(version);
      return this;
    }

    @Override
    public HttpClient.Builder priority(int priority) {
      delegate.priority(priority);
      return this;
    }

    @Override
    public HttpClient.Builder proxy(ProxySelector proxySelector) {
      delegate.proxy(proxySelector);
      return this;
    }

    @Override
    public HttpClient.Builder authenticator(Authenticator authenticator) {
      delegate.authenticator(authenticator);
      return this;
    }
  }
}
