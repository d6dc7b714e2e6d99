package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Outcome;
import io.spinclean.core.Pod;
import io.spinclean.core.Service;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --drain}: takes a version out of its Services the way Spinnaker's Disable does
 * (SPINNAKER.md §3) — a JSON Patch removing every selector key that is present, first from the pod
 * template, then from each pod, one after another — and then waits, bounded, until none of its pods
 * serves. Unlike Spinnaker's Disable it survives a pod that vanishes midway (scale-down, eviction):
 * NotFound re-lists the version's pods and carries on, instead of leaving the pods after it serving
 * (the article's scenario 3).
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
   * @param resourceVersion the ReplicaSet's resourceVersion to put in the delete's preconditions
   *     (our own template patch changes it)
   */
  record Drained(String resourceVersion, boolean drained, String detail) {}

  /** Drains the version when some of its pods carry a Service selector; else does nothing. */
  Drained drain(Target target, Duration budget) throws Halt, InterruptedException {
    boolean carriesTraffic =
        target.pods().stream()
            .anyMatch(p -> !p.terminating() && selectedByAny(target.services(), p));
    if (!carriesTraffic) {
      return new Drained(target.resourceVersion(), false, "");
    }
    List<String> keys = selectorKeys(target.services());
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
    return new Drained(detached.resourceVersion(), true, detail.toString());
  }

  /**
   * The version once its template no longer carries a selector key.
   *
   * @param resourceVersion for the delete's preconditions
   * @param podSelector the label selector of its pods, from {@link Pods#selector}
   */
  private record Detached(String resourceVersion, String podSelector) {}

  /**
   * Removes the selector keys from the pod template first, so that no new pod comes up labeled. The
   * patch also sets the resourceVersion seen in the fresh snapshot: the API server then applies it
   * only if the ReplicaSet did not change since (409 otherwise).
   */
  private Detached disableTemplate(Target target, List<String> keys, Tally tally)
      throws Halt, InterruptedException {
    List<String> present = keys.stream().filter(target.templateLabels()::containsKey).toList();
    if (present.isEmpty()) {
      // A Disable that broke midway already detached it: no patch, whose reply shows the selector.
      return new Detached(target.resourceVersion(), lookUpSelector(target, keys));
    }
    List<Map<String, String>> ops = new ArrayList<>();
    ops.add(op("replace", "/metadata/resourceVersion", target.resourceVersion()));
    for (String key : present) {
      ops.add(op("remove", "/spec/template/metadata/labels/" + escape(key), null));
    }
    Requests.Reply reply = send(target, "replicasets", target.path(), ops);
    if (reply.ok()) {
      tally.template = true;
      ReplicaSet patched = requests.parse(reply, ReplicaSet.class);
      // Without the new resourceVersion the delete's precondition fails (409): skipped, not lost.
      String resourceVersion =
          patched == null || patched.getMetadata() == null
              ? target.resourceVersion()
              : patched.getMetadata().getResourceVersion();
      // Without the selector the re-lists are the whole namespace's pods: slower, as correct.
      LabelSelector selector =
          patched == null || patched.getSpec() == null ? null : patched.getSpec().getSelector();
      return new Detached(resourceVersion, Pods.selector(selector, keys));
    }
    switch (reply.code()) {
      case 404 -> throw new Halt(Outcome.ALREADY_GONE, "deleted by someone else before the drain");
      case 409 ->
          throw new Halt(
              Outcome.SKIPPED_CHANGED,
              "changed since the fresh snapshot (409 Conflict on the drain patch): not drained, not"
                  + " deleted");
      default ->
          throw new Halt(
              Outcome.FAILED,
              requests.describe(
                  "patch", "replicasets", target.namespace(), requests.failure(reply)));
    }
  }

  /**
   * The ReplicaSet's selector, by a list of the one name: the Role grants list, not get
   * (deploy/base/role.yaml). Gone or replaced since the fresh snapshot halts as the template patch
   * would have.
   */
  private String lookUpSelector(Target target, List<String> keys) throws Halt {
    List<ReplicaSet> found;
    try {
      found =
          client
              .apps()
              .replicaSets()
              .inNamespace(target.namespace())
              .list(
                  new ListOptionsBuilder()
                      .withFieldSelector("metadata.name=" + target.name())
                      .build())
              .getItems();
    } catch (KubernetesClientException e) {
      throw new Halt(
          Outcome.FAILED, requests.describe("list", "replicasets", target.namespace(), e));
    }
    ReplicaSet rs =
        found.stream()
            .filter(r -> r.getMetadata() != null && target.name().equals(r.getMetadata().getName()))
            .findFirst()
            .orElseThrow(
                () -> new Halt(Outcome.ALREADY_GONE, "deleted by someone else before the drain"));
    if (!target.uid().equals(rs.getMetadata().getUid())) {
      throw new Halt(
          Outcome.SKIPPED_CHANGED,
          "replaced since the fresh snapshot (uid "
              + target.uid()
              + " is now "
              + rs.getMetadata().getUid()
              + "): not drained, not deleted");
    }
    return Pods.selector(rs.getSpec() == null ? null : rs.getSpec().getSelector(), keys);
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
      List<Map<String, String>> ops = new ArrayList<>();
      for (String key : keys) {
        if (pod.labels().containsKey(key)) {
          ops.add(op("remove", "/metadata/labels/" + escape(key), null));
        }
      }
      String path = "api/v1/namespaces/" + target.namespace() + "/pods/" + pod.name();
      Requests.Reply reply = send(target, "pods", path, ops);
      if (reply.ok()) {
        done.add(pod.name());
        tally.patched++;
      } else if (reply.code() == 404) {
        done.add(pod.name());
        tally.vanished++;
        queue = labeled(listPods(target, podSelector), keys, done);
      } else if (reply.code() == 422 && retried.add(pod.name())) {
        // Its labels changed under us (a key already removed): look at it again, once.
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
    Instant deadline = sleeper.now().plus(budget);
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
      Target target, String resource, String path, List<Map<String, String>> ops)
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

  /** Every key of every Service selector, sorted so requests are deterministic. */
  static List<String> selectorKeys(List<Service> services) {
    TreeSet<String> keys = new TreeSet<>();
    services.forEach(s -> keys.addAll(s.selector().keySet()));
    return List.copyOf(keys);
  }

  /** A label key as one JSON Pointer token (RFC 6901): '~' becomes "~0", '/' becomes "~1". */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, String> op(String op, String path, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    if (value != null) {
      m.put("value", value);
    }
    return m;
  }

  private static final class Tally {
    boolean template;
    int patched;
    int vanished;
  }
}
