package io.spinclean.kube.read;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One list request read page by page, as {@link LiveReader} reads its lists: {@value
 * LiveReader#PAGE_SIZE} objects a page, {@code continue} tokens, and one fresh start when a token
 * has expired (410 Gone). Each page is mapped as it arrives, so only one page of fabric8 objects is
 * alive at a time.
 *
 * <p>Invariant: what is returned comes from one complete pass; a pass cut short by 410 is dropped.
 */
public final class Pages {
  private Pages() {}

  /**
   * Every item of one paged list, mapped and filtered page by page.
   *
   * @param lister sends one request with the options it is given
   * @param labelSelector empty for none
   * @param keep what to keep of the mapped items
   * @throws KubernetesClientException a request failed, or the list expired twice (code 410)
   */
  public static <T extends HasMetadata, R> List<R> list(
      Function<ListOptions, ? extends KubernetesResourceList<T>> lister,
      String labelSelector,
      Function<T, R> mapper,
      Predicate<R> keep) {
    for (int attempt = 1; ; attempt++) {
      List<R> kept = new ArrayList<>();
      String token = null;
      try {
        do {
          KubernetesResourceList<T> page =
              lister.apply(
                  new ListOptionsBuilder()
                      .withLabelSelector(labelSelector.isEmpty() ? null : labelSelector)
                      .withLimit(LiveReader.PAGE_SIZE)
                      .withContinue(token)
                      .build());
          for (T item : page.getItems()) {
            R mapped = mapper.apply(item);
            if (keep.test(mapped)) {
              kept.add(mapped);
            }
          }
          token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        return kept;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 410 || attempt > 1) {
          throw e;
        }
        // the continue token expired: start over, once
      }
    }
  }
}
