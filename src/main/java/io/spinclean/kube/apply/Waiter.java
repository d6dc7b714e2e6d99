package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Pod;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.Sleeper;
import io.spinclean.kube.read.Pages;
import io.spinclean.kube.read.Pods;
import io.spinclean.kube.read.SnapshotMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code --wait}: polls, bounded, until the deleted ReplicaSets are gone, and with a foreground
 * cascade their pods too. Per namespace and poll: one paged list of its ReplicaSets, and with a
 * foreground cascade the pods: one label-selected paged list per deleted version (its ReplicaSet's
 * {@code spec.selector.matchLabels}, learned while a foreground deletion still shows it), or one
 * paged list of the namespace's pods when a version's selector is unknown or there are more than
 * {@value #MAX_VERSION_LISTS} versions. Pods are always matched by owner uid, never by labels.
 */
final class Waiter {
  static final Duration POLL = Duration.ofSeconds(1);

  /**
   * Above this many versions in a namespace, one paged list of all its pods replaces one list per
   * version: each label-selected list still costs the API server a pass over the namespace's pods.
   */
  static final int MAX_VERSION_LISTS = 10;

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

  /**
   * --wait: waits, then notes what is still there on the deleted versions' results (replaced in
   * {@code results}). Never throws: an interruption or an unexpected error ends the wait with
   * everything unconfirmed, and the deletions stay reported.
   *
   * @return what is still there, as {@link Left#remaining}
   */
  List<String> awaitGone(
      List<Target> deleted,
      List<DeletionResult> results,
      ApplyOptions.Cascade cascade,
      Duration timeout) {
    Left left;
    try {
      left = await(deleted, cascade == ApplyOptions.Cascade.FOREGROUND, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      left = unconfirmed(deleted, "interrupted while waiting");
    } catch (RuntimeException e) {
      left = unconfirmed(deleted, Deletes.unexpected(e));
    }
    for (int i = 0; i < results.size(); i++) {
      DeletionResult r = results.get(i);
      if (r.outcome() != Outcome.DELETED || !left.unfinished().contains(r.uid())) {
        continue;
      }
      String note =
          left.error()
              .map(e -> "--wait could not confirm it is gone: " + e)
              .orElse("still present after --wait " + ApplyOptions.format(timeout));
      results.set(
          i,
          new DeletionResult(
              r.cluster(),
              r.name(),
              r.uid(),
              r.outcome(),
              r.drained(),
              r.detail().isEmpty() ? note : r.detail() + "; " + note));
    }
    return left.remaining();
  }

  Left await(List<Target> deleted, boolean pods, Duration timeout) throws InterruptedException {
    Instant deadline = deadline(sleeper.now(), timeout);
    Map<String, List<Target>> byNamespace = new TreeMap<>();
    deleted.forEach(t -> byNamespace.computeIfAbsent(t.namespace(), n -> new ArrayList<>()).add(t));
    // uid -> the label selector of its pods, kept after the ReplicaSet is gone
    Map<String, String> selectors = new HashMap<>();
    while (true) {
      List<String> remaining = new ArrayList<>();
      Set<String> unfinished = new HashSet<>();
      for (Map.Entry<String, List<Target>> ns : byNamespace.entrySet()) {
        String namespace = ns.getKey();
        Map<String, Target> wanted =
            ns.getValue().stream().collect(Collectors.toMap(Target::uid, t -> t, (a, b) -> a));
        Set<String> uids;
        try {
          uids = stillListed(namespace, wanted, selectors);
        } catch (KubernetesClientException e) {
          return unconfirmed(
              deleted, ApiErrors.describe(client, "list", "replicasets", namespace, e));
        }
        ns.getValue().stream()
            .filter(t -> uids.contains(t.uid()))
            .forEach(
                t -> {
                  remaining.add(t.toString());
                  unfinished.add(t.uid());
                });
        if (pods) {
          Set<String> owners = wanted.keySet();
          Collection<Pod> items;
          try {
            items = podsOf(namespace, ns.getValue(), selectors);
          } catch (KubernetesClientException e) {
            return unconfirmed(deleted, ApiErrors.describe(client, "list", "pods", namespace, e));
          }
          items.stream()
              .sorted(Comparator.comparing(Pod::name))
              .forEach(
                  p -> {
                    remaining.add(namespace + "/" + p.name() + " (pod)");
                    if (owners.contains(p.controllerUid())) {
                      unfinished.add(p.controllerUid());
                    }
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

  /** The uids of the deleted versions still listed; notes their pods' selectors on the way. */
  private Set<String> stillListed(
      String namespace, Map<String, Target> wanted, Map<String, String> selectors) {
    Set<String> uids = new HashSet<>();
    for (Listed rs :
        Pages.list(
            options -> client.apps().replicaSets().inNamespace(namespace).list(options),
            "",
            rs -> listed(rs, wanted),
            Objects::nonNull)) {
      uids.add(rs.uid());
      if (!rs.podSelector().isEmpty()) {
        selectors.put(rs.uid(), rs.podSelector());
      }
    }
    return uids;
  }

  /** A deleted version's ReplicaSet as a list shows it; null for every other ReplicaSet. */
  private record Listed(String uid, String podSelector) {}

  private static Listed listed(ReplicaSet rs, Map<String, Target> wanted) {
    Target target = rs.getMetadata() == null ? null : wanted.get(rs.getMetadata().getUid());
    if (target == null) {
      return null;
    }
    return new Listed(
        target.uid(),
        Pods.selector(
            rs.getSpec() == null ? null : rs.getSpec().getSelector(),
            LabelPatch.selectorKeys(target.services())));
  }

  /** The pods, by name, that any of the deleted versions owns. */
  private Collection<Pod> podsOf(
      String namespace, List<Target> versions, Map<String, String> selectors) {
    Set<String> owners = versions.stream().map(Target::uid).collect(Collectors.toSet());
    Map<String, Pod> found = new HashMap<>();
    if (versions.size() <= MAX_VERSION_LISTS && selectors.keySet().containsAll(owners)) {
      for (Target version : versions) {
        Pods.ownedBy(client, namespace, version.uid(), selectors.get(version.uid()))
            .forEach(p -> found.put(p.name(), p));
      }
    } else {
      Pages.list(
              options -> client.pods().inNamespace(namespace).list(options),
              "",
              SnapshotMapper::pod,
              p -> owners.contains(p.controllerUid()))
          .forEach(p -> found.put(p.name(), p));
    }
    return found.values();
  }

  /**
   * {@code now + budget}, or the end of time when that is beyond what an Instant holds: {@code
   * --drain 1000000000000d} must wait long, not fail (issue 10, item 7).
   */
  static Instant deadline(Instant now, Duration budget) {
    Duration room = Duration.between(now, Instant.MAX);
    return budget.compareTo(room) >= 0 ? Instant.MAX : now.plus(budget);
  }

  private static Left unconfirmed(List<Target> deleted, String error) {
    return new Left(
        deleted.stream().map(Target::toString).toList(),
        deleted.stream().map(Target::uid).collect(Collectors.toSet()),
        Optional.of(error));
  }
}
