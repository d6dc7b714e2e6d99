package io.spinclean.render;

import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds a {@link Snapshot} that reads like the cluster it describes, e.g. {@code
 * version("example", "webapp", 3).age(days(2)).traffic("webapp").servingPods(1, "webapp")}. A
 * Service named {@code s} selects pods labeled {@code load-balancer-s: "true"}.
 */
final class SnapshotBuilder {
  private final Instant takenAt;
  private final List<Version> versions = new ArrayList<>();
  private final List<Service> services = new ArrayList<>();

  SnapshotBuilder(Instant takenAt) {
    this.takenAt = takenAt;
  }

  SnapshotBuilder service(String namespace, String name) {
    services.add(new Service(namespace, name, selector(name)));
    return this;
  }

  /** A Spinnaker version {@code <app>-v<NNN>} of cluster {@code replicaSet <app>}. */
  Version version(String namespace, String app, int number) {
    Version v = new Version(namespace, app, String.format("%s-v%03d", app, number));
    versions.add(v);
    return v;
  }

  Snapshot build() {
    List<ReplicaSet> replicaSets = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      Version v = versions.get(i);
      String uid = "uid-" + v.namespace + "-" + v.name;
      Map<String, String> annotations = new HashMap<>(v.annotations);
      annotations.put("moniker.spinnaker.io/application", v.app);
      annotations.put("moniker.spinnaker.io/cluster", "replicaSet " + v.app);
      replicaSets.add(
          new ReplicaSet(
              v.namespace,
              v.name,
              uid,
              String.valueOf(1000 + i),
              takenAt.minus(v.age),
              false,
              false,
              annotations,
              Map.of("app", v.app),
              v.templateLabels,
              v.pods.size(),
              Selector.of(Map.of("app", "pod"))));
      for (int p = 0; p < v.pods.size(); p++) {
        PodSpec spec = v.pods.get(p);
        pods.add(
            new Pod(
                v.namespace,
                v.name + "-pod" + p,
                uid + "-pod" + p,
                uid,
                spec.labels,
                spec.ready,
                false));
      }
    }
    return new Snapshot(takenAt, replicaSets, pods, services);
  }

  static Duration days(long n) {
    return Duration.ofDays(n);
  }

  static Duration hours(long n) {
    return Duration.ofHours(n);
  }

  static Duration minutes(long n) {
    return Duration.ofMinutes(n);
  }

  private static Map<String, String> selector(String service) {
    return Map.of("load-balancer-" + service, "true");
  }

  private static Map<String, String> labelsFor(String... services) {
    Map<String, String> labels = new HashMap<>();
    labels.put("app", "pod");
    for (String s : services) {
      labels.putAll(selector(s));
    }
    return labels;
  }

  private record PodSpec(Map<String, String> labels, boolean ready) {}

  /** One ReplicaSet and its pods. */
  static final class Version {
    private final String namespace;
    private final String app;
    private final String name;
    private final Map<String, String> annotations = new HashMap<>();
    private Map<String, String> templateLabels = Map.of("app", "pod");
    private final List<PodSpec> pods = new ArrayList<>();
    private Duration age = Duration.ZERO;

    private Version(String namespace, String app, String name) {
      this.namespace = namespace;
      this.app = app;
      this.name = name;
    }

    Version age(Duration d) {
      age = d;
      return this;
    }

    /** The traffic annotation naming these Services. */
    Version traffic(String... services) {
      String list =
          List.of(services).stream()
              .map(s -> "\"service " + s + "\"")
              .collect(Collectors.joining(",", "[", "]"));
      return annotation("traffic.spinnaker.io/load-balancers", list);
    }

    Version annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    Version protect() {
      return annotation("spinclean.io/protect", "true");
    }

    /** The pod template carries these Services' selectors: new pods take traffic. */
    Version template(String... services) {
      templateLabels = labelsFor(services);
      return this;
    }

    /** Ready pods labeled for these Services. */
    Version servingPods(int n, String... services) {
      return addPods(n, true, services);
    }

    /** Ready pods without any Service label. */
    Version idlePods(int n) {
      return addPods(n, true);
    }

    /** Pods labeled for these Services but not Ready. */
    Version unreadyPods(int n, String... services) {
      return addPods(n, false, services);
    }

    private Version addPods(int n, boolean ready, String... services) {
      for (int i = 0; i < n; i++) {
        pods.add(new PodSpec(labelsFor(services), ready));
      }
      return this;
    }
  }
}
