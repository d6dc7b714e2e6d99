package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Outcome;
import io.spinclean.core.Pod;
import io.spinclean.core.Service;
import io.spinclean.kube.Requests;
import io.spinclean.kube.Sleeper;
import io.spinclean.kube.read.Pods;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --drain}: takes a version out of its Services the way Spinnaker's Disable does
 * (docs/spinnaker-semantics.md#traffic) — a JSON Patch removing every selector key that is present,
 * first from the pod template, then from each pod, one after another — and then waits, bounded,
 * until none of its pods serves. Unlike Spinnaker's Disable it survives a pod that vanishes midway
 * (scale-down, eviction): NotFound re-lists the version's pods and carries on, instead of leaving
 * the pods after it serving (the article's scenario 3).
 *
 * <p>Its re-lists ask only for the version's pods: a label selector from the ReplicaSet's own
 * {@code spec.selector.matchLabels} as the API server has it (never the Service selector keys being
 * removed, which would hide the pods still to wait for), paged, then filtered by owner uid.
 */
final class Drainer {
  static final Duration POLL = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final Requests requests;
  private final Sleeper sleeper;

  Drainer(KubernetesClient client, Requests requests, Sleeper sleeper) {
    this.client = client;
    this.requests = requests;
    this.sleeper = sleeper;
  }

  /**
   * What draining left for the delete.
   *
   * @param drained selector labels were removed (then the delete needs a {@link Recheck})
   * @param template the pod template's labels as the drain left them
   * @param generation the ReplicaSet's {@code metadata.generation} as the drain left it; 0 unknown
   */
  record Drained(boolean drained, String detail, Map<String, String> template, long generation) {
    Drained {
      template = Map.copyOf(template);
    }

    /** Nothing drained. */
    static Drained none(Target target) {
      return new Drained(false, "", target.templateLabels(), 0);
    }
  }

  /** Drains the version when some of its pods carry a Service selector; else does nothing. */
  Drained drain(Target target, Duration budget) throws Halt, InterruptedException {
    boolean carriesTraffic =
        target.pods().stream()
            .anyMatch(p -> !p.terminating() && selectedByAny(target.services(), p));
    if (!carriesTraffic) {
      return Drained.none(target);
    }
    List<String> keys = LabelPatch.selectorKeys(target.services());
    Tally tally = new Tally();
    Detached detached = disableTemplate(target, keys, tally);
    String podSelector = detached.podSelector();
    disablePods(target, keys, podSelector, target.pods(), tally);
    int serving = awaitNotServing(target, keys, podSelector, budget, tally);
    StringBuilder detail =
        new StringBuilder("drained: removed the selector labels from ")
            .append(tally.template ? "the pod template and " : "")
            .append(tally.patched)
            .append(tally.patched == 1 ? " pod" : " pods");
    if (tally.vanished > 0) {
      detail
          .append(" (")
          .append(tally.vanished)
          .append(tally.vanished == 1 ? " pod" : " pods")
          .append(" vanished meanwhile)");
    }
    if (serving > 0) {
      detail
          .append("; ")
          .append(serving)
          .append(serving == 1 ? " pod" : " pods")
          .append(" still serving after --drain ")
          .append(ApplyOptions.format(budget));
    }
    Map<String, String> template = new HashMap<>(target.templateLabels());
    template.keySet().removeAll(keys);
    return new Drained(true, detail.toString(), template, detached.generation());
  }

  /**
   * The version once its template no longer carries a selector key.
   *
   * @param generation its {@code metadata.generation} then; 0 unknown
   * @param podSelector the label selector of its pods, from {@link Pods#selector}
   */
  private record Detached(long generation, String podSelector) {}

  /**
   * Removes the selector keys from the pod template first, so that no new pod comes up labeled. The
   * patch tests the uid and sets the resourceVersion seen in the fresh snapshot: the API server
   * applies it only to that object, unchanged since (422 or 409 otherwise).
   */
  private Detached disableTemplate(Target target, List<String> keys, Tally tally)
      throws Halt, InterruptedException {
    List<String> present = keys.stream().filter(target.templateLabels()::containsKey).toList();
    if (present.isEmpty()) {
      // A Disable that broke midway already detached it: no patch, whose reply shows the selector.
      ReplicaSet rs = Recheck.current(client, requests, target, "not drained, not deleted");
      return new Detached(
          generation(rs),
          Pods.selector(rs.getSpec() == null ? null : rs.getSpec().getSelector(), keys));
    }
    Requests.Reply reply =
        send(
            target,
            "replicasets",
            target.path(),
            LabelPatch.template(target.uid(), target.resourceVersion(), present));
    if (reply.ok()) {
      tally.template = true;
      ReplicaSet patched = requests.parse(reply, ReplicaSet.class);
      // Without the selector the re-lists are the whole namespace's pods: slower, as correct.
      LabelSelector selector =
          patched == null || patched.getSpec() == null ? null : patched.getSpec().getSelector();
      return new Detached(generation(patched), Pods.selector(selector, keys));
    }
    switch (reply.code()) {
      case 404 -> throw new Halt(Outcome.ALREADY_GONE, "deleted by someone else before the drain");
      case 409 ->
          throw new Halt(
              Outcome.SKIPPED_CHANGED,
              "changed since the fresh snapshot (409 Conflict on the drain patch): not drained, not"
                  + " deleted");
      case 422 -> {
        // Its uid test failed (replaced: the read halts), or the server refused the change.
        Recheck.current(client, requests, target, "not drained, not deleted");
        throw new Halt(
            Outcome.FAILED,
            requests.describe("patch", "replicasets", target.namespace(), requests.failure(reply)));
      }
      default ->
          throw new Halt(
              Outcome.FAILED,
              requests.describe(
                  "patch", "replicasets", target.namespace(), requests.failure(reply)));
    }
  }

  private static long generation(ReplicaSet rs) {
    return rs == null || rs.getMetadata() == null || rs.getMetadata().getGeneration() == null
        ? 0
        : rs.getMetadata().getGeneration();
  }

  /** Patches the labeled pods one after another; NotFound re-lists and skips the vanished pod. */
  private void disablePods(
      Target target, List<String> keys, String podSelector, List<Pod> pods, Tally tally)
      throws Halt, InterruptedException {
    Set<String> done = new HashSet<>();
    Set<String> retried = new HashSet<>();
    Deque<Pod> queue = labeled(pods, keys, done);
    while (!queue.isEmpty()) {
      Pod pod = queue.poll();
      String path = "api/v1/namespaces/" + target.namespace() + "/pods/" + pod.name();
      Requests.Reply reply = send(target, "pods", path, LabelPatch.pod(pod, keys));
      if (reply.ok()) {
        done.add(pod.name());
        tally.patched++;
      } else if (reply.code() == 404) {
        done.add(pod.name());
        tally.vanished++;
        queue = labeled(listPods(target, podSelector), keys, done);
      } else if (reply.code() == 422 && retried.add(pod.name())) {
        // Replaced under its name, or its labels changed under us (a key already removed): look
        // at it again, once; a namesake that is not this version's is not listed.
        queue = labeled(listPods(target, podSelector), keys, done);
      } else {
        throw new Halt(
            Outcome.FAILED,
            requests.describe("patch", "pods", target.namespace(), requests.failure(reply))
                + "; "
                + target
                + " is partly drained and not deleted");
      }
    }
  }

  /**
   * Polls the version's pods until none serves or the budget is spent; pods that still carry a
   * selector (created from the old template before it was patched) are disabled on the way. Returns
   * how many pods still serve.
   */
  private int awaitNotServing(
      Target target, List<String> keys, String podSelector, Duration budget, Tally tally)
      throws Halt, InterruptedException {
    Instant deadline = Waiter.deadline(sleeper.now(), budget);
    while (true) {
      List<Pod> pods = listPods(target, podSelector);
      int serving =
          (int)
              pods.stream()
                  .filter(p -> p.receivesTraffic() && selectedByAny(target.services(), p))
                  .count();
      Instant now = sleeper.now();
      if (serving == 0 || !now.isBefore(deadline)) {
        return serving;
      }
      disablePods(target, keys, podSelector, pods, tally);
      Duration left = Duration.between(now, deadline);
      sleeper.sleep(left.compareTo(POLL) < 0 ? left : POLL);
    }
  }

  private Requests.Reply send(
      Target target, String resource, String path, List<Map<String, Object>> ops)
      throws Halt, InterruptedException {
    try {
      return requests.jsonPatch(path, requests.toJson(ops));
    } catch (IOException e) {
      throw new Halt(Outcome.FAILED, requests.describe("patch", resource, target.namespace(), e));
    }
  }

  private List<Pod> listPods(Target target, String podSelector) throws Halt {
    try {
      return Pods.ownedBy(client, target.namespace(), target.uid(), podSelector);
    } catch (KubernetesClientException e) {
      throw new Halt(Outcome.FAILED, requests.describe("list", "pods", target.namespace(), e));
    }
  }

  /** Pods, by name, that are not terminating and still carry one of the keys. */
  private static Deque<Pod> labeled(List<Pod> pods, List<String> keys, Set<String> done) {
    Deque<Pod> queue = new ArrayDeque<>();
    pods.stream()
        .filter(p -> !p.terminating() && !done.contains(p.name()))
        .filter(p -> keys.stream().anyMatch(p.labels()::containsKey))
        .sorted(Comparator.comparing(Pod::name))
        .forEach(queue::add);
    return queue;
  }

  private static boolean selectedByAny(List<Service> services, Pod pod) {
    return services.stream().anyMatch(s -> s.selects(pod.labels()));
  }

  private static final class Tally {
    boolean template;
    int patched;
    int vanished;
  }
}
