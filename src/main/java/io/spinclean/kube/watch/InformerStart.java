package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spinclean.core.ApiException;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.read.LiveReader;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The start of one informer: paged lists, a cache of lean copies, the retry policy, and a bounded
 * wait for its first list and watch, whose failure is one {@link ApiException}.
 */
final class InformerStart {
  /** How long the first list and watch of one kind may take, retries included. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private InformerStart() {}

  /**
   * Starts an informer on {@code informable} and waits until it has listed its objects once.
   *
   * @param resource the resource's plural name, for messages (e.g. "pods")
   * @param ns the namespace, for messages; null for all namespaces
   * @throws ApiException the first list failed or took longer than {@link #START_TIMEOUT}
   */
  static <T extends HasMetadata> SharedIndexInformer<T> start(
      KubernetesClient client,
      String resource,
      String ns,
      Informable<T> informable,
      UnaryOperator<T> lean,
      ResourceEventHandler<T> handler)
      throws ApiException {
    // Paged like plan's reads (LiveReader.PAGE_SIZE): one 50,000-pod answer held at once was
    // what ran the controller out of memory at 1Gi (docs/controller.md, Sizing).
    SharedIndexInformer<T> informer =
        informable.withLimit(LiveReader.PAGE_SIZE).runnableInformer(0);
    // The cache keeps lean copies: 50,000 whole pods were most of the 1Gi (issue 11, item 3).
    informer.itemStore(new LeanStore<>(lean));
    informer.addEventHandler(handler);
    informer.exceptionHandler(InformerStart::retry);
    try {
      informer.start().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return informer;
    } catch (ExecutionException e) {
      informer.stop();
      Exception cause = e.getCause() instanceof Exception c ? c : e;
      throw ApiErrors.exception(client, "watch", resource, ns, cause);
    } catch (TimeoutException e) {
      informer.stop();
      throw new ApiException(
          "cannot watch "
              + resource
              + (ns == null ? " in all namespaces" : " in namespace " + ns)
              + ": no answer from "
              + ApiErrors.server(client)
              + " within "
              + START_TIMEOUT.toSeconds()
              + "s",
          e);
    } catch (InterruptedException e) {
      informer.stop();
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while starting to watch " + resource, e);
    }
  }

  /**
   * Whether an informer lists and watches again after {@code t}: always once it has started (a
   * closed watch, 410 Gone, a 5xx, an I/O error). At start only after 410 Gone, 429 or a 5xx (the
   * server is there and busy); anything else (refused connection, 401, 403, 404) stops the
   * controller at once with one sentence: retrying cannot fix credentials, RBAC or a wrong URL.
   */
  static boolean retry(boolean started, Throwable t) {
    if (started) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() != 0) {
        int code = k.getCode();
        return code == 410 || code == 429 || code >= 500;
      }
    }
    return false;
  }
}
