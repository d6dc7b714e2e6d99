package io.spinclean.kube.read;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Pod;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pods of one ReplicaSet, as they are now: pods whose controlling ownerReference ({@code
 * controller: true}) names its uid.
 *
 * <p>Invariant: ownership is decided by the controller's uid. Another ownerReference naming the uid
 * does not count: anyone who may create pods can write one (issue 10). The label selector narrows
 * what the API server sends (on a namespace of 50,000 pods, a version's few instead of all of
 * them); a pod of another ReplicaSet can carry the same labels, and is never taken for one of this
 * one's.
 *
 * <p>The list is paged ({@link Pages}): {@value LiveReader#PAGE_SIZE} a page, {@code continue}
 * tokens, one fresh start when a token has expired (410 Gone).
 */
public final class Pods {
  private Pods() {}

  /**
   * One paged list of the pods matching {@code labelSelector}, filtered by controlling owner.
   *
   * @param labelSelector as {@link #selector} makes it; empty lists every pod of the namespace
   * @throws KubernetesClientException the list failed, or expired twice while paging (code 410)
   */
  public static List<Pod> ownedBy(
      KubernetesClient client, String namespace, String ownerUid, String labelSelector) {
    return Pages.list(
        options -> client.pods().inNamespace(namespace).list(options),
        labelSelector,
        SnapshotMapper::pod,
        pod -> ownerUid.equals(pod.controllerUid()));
  }

  /**
   * An equality-based label selector ({@code k1=v1,k2=v2}, sorted) from a ReplicaSet's {@code
   * spec.selector.matchLabels}, which every pod the ReplicaSet owns carries: its controller
   * releases a pod whose labels stop matching. {@code matchExpressions} are left out (a selector
   * with fewer terms selects more, never fewer pods).
   *
   * @param without keys to leave out: the Service selector keys a drain removes from the pods
   *     (Spinnaker keeps them disjoint from the ReplicaSet's own selector,
   *     docs/spinnaker-semantics.md#traffic, but a term on a key being removed would hide the very
   *     pods the drain waits for)
   * @return empty when no term is left (null selector included)
   */
  public static String selector(LabelSelector selector, Collection<String> without) {
    if (selector == null || selector.getMatchLabels() == null) {
      return "";
    }
    Map<String, String> terms = new TreeMap<>();
    selector
        .getMatchLabels()
        .forEach(
            (key, value) -> {
              if (key != null && value != null && !without.contains(key)) {
                terms.put(key, value);
              }
            });
    return terms.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
