package io.spinclean.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code --wait}: polls, bounded, until the deleted ReplicaSets are gone, and with a foreground
 * cascade their pods too. One list per namespace and kind per poll.
 */
final class Waiter {
  static final Duration POLL = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final Sleeper sleeper;

  Waiter(KubernetesClient client, Sleeper sleeper) {
    this.client = client;
    this.sleeper = sleeper;
  }

  /**
   * What was still there when the wait ended.
   *
   * @param remaining {@code namespace/name} of each ReplicaSet, {@code namespace/name (pod)} of
   *     each pod, still present
   * @param unfinished uids of the deleted ReplicaSets that are, or whose pods are, still present
   * @param error why the wait could not check (everything unconfirmed is then remaining)
   */
  record Left(List<String> remaining, Set<String> unfinished, Optional<String> error) {}

  Left await(List<Target> deleted, boolean pods, Duration timeout) throws InterruptedException {
    Instant deadline = sleeper.now().plus(timeout);
    Map<String, List<Target>> byNamespace = new TreeMap<>();
    deleted.forEach(t -> byNamespace.computeIfAbsent(t.namespace(), n -> new ArrayList<>()).add(t));
    while (true) {
      List<String> remaining = new ArrayList<>();
      Set<String> unfinished = new HashSet<>();
      for (Map.Entry<String, List<Target>> ns : byNamespace.entrySet()) {
        String namespace = ns.getKey();
        Set<String> uids;
        try {
          uids = client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
              .map(rs -> rs.getMetadata().getUid())
              .collect(Collectors.toSet());
        } catch (KubernetesClientException e) {
          return unconfirmed(
              deleted, ApiErrors.describe(client, "list", "replicasets", namespace, e));
        }
        ns.getValue().stream()
            .filter(t -> uids.contains(t.uid()))
            .forEach(t -> {
              remaining.add(t.toString());
              unfinished.add(t.uid());
            });
        if (pods) {
          Set<String> owners = ns.getValue().stream().map(Target::uid).collect(Collectors.toSet());
          List<io.fabric8.kubernetes.api.model.Pod> items;
          try {
            items = client.pods().inNamespace(namespace).list().getItems();
          } catch (KubernetesClientException e) {
            return unconfirmed(deleted, ApiErrors.describe(client, "list", "pods", namespace, e));
          }
          items.stream()
              .map(SnapshotMapper::pod)
              .filter(p -> p.ownerUids().stream().anyMatch(owners::contains))
              .sorted(Comparator.comparing(Pod::name))
              .forEach(p -> {
                remaining.add(namespace + "/" + p.name() + " (pod)");
                p.ownerUids().stream().filter(owners::contains).forEach(unfinished::add);
              });
        }
      }
      Instant now = sleeper.now();
      if (remaining.isEmpty() || !now.isBefore(deadline)) {
        return new Left(remaining, unfinished, Optional.empty());
      }
      Duration left = Duration.between(now, deadline);
      sleeper.sleep(left.compareTo(POLL) < 0 ? left : POLL);
    }
  }

  private static Left unconfirmed(List<Target> deleted, String error) {
    return new Left(deleted.stream().map(Target::toString).toList(),
        deleted.stream().map(Target::uid).collect(Collectors.toSet()), Optional.of(error));
  }
}
