package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Test builders that read like the article: {@code cluster("webapp").service("webapp")
 * .with(rs("webapp-v001").serving(2), rs("webapp-v002").pods(2).notReady())}.
 *
 * <p>Defaults, so a test only says what matters to it: namespace {@value #NAMESPACE}; application =
 * the cluster's name; moniker cluster {@code "replicaSet <name>"}; every version carries the
 * traffic annotation naming every Service of the cluster, a template labeled for all of them, and
 * the artifact version and sequence taken from its {@code -vNNN} suffix; a version created at
 * {@link #BASE} plus as many hours as its number. Services select {@code load-balancer-<name>:
 * "true"}. A version's {@code spec.selector} is {@code app: <application>}, which its pods carry.
 */
final class Clusters {
  static final String NAMESPACE = "example";
  static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

  /** The default {@code takenAt}: after every default creation time below v500. */
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private static final Pattern SUFFIX = Pattern.compile(".*-v(\\d+)");

  private Clusters() {}

  static ClusterBuilder cluster(String name) {
    return new ClusterBuilder(name);
  }

  static VersionBuilder rs(String name) {
    return new VersionBuilder(name);
  }

  static Snapshot snapshot(ClusterBuilder... clusters) {
    return snapshot(NOW, clusters);
  }

  static Snapshot snapshot(Instant takenAt, ClusterBuilder... clusters) {
    List<ReplicaSet> replicaSets = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    Map<String, Service> services = new LinkedHashMap<>();
    for (ClusterBuilder c : clusters) {
      c.addTo(replicaSets, pods, services);
    }
    return new Snapshot(takenAt, replicaSets, pods, List.copyOf(services.values()));
  }

  /** The default selector of Service {@code name}: distinct keys, so pods can carry several. */
  static Map<String, String> selectorOf(String name) {
    return Map.of("load-balancer-" + name, "true");
  }

  static String uid(String namespace, String name) {
    return "uid-" + namespace + "-" + name;
  }

  /** One Spinnaker cluster and the Services its versions name. */
  static final class ClusterBuilder {
    private String namespace = NAMESPACE;
    private String application;
    private String moniker;
    private String traffic;
    private final List<String> entries = new ArrayList<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<VersionBuilder> versions = new ArrayList<>();
    private final List<Pod> strayPods = new ArrayList<>();

    private ClusterBuilder(String name) {
      this.application = name;
      this.moniker = "replicaSet " + name;
    }

    ClusterBuilder namespace(String ns) {
      this.namespace = ns;
      return this;
    }

    ClusterBuilder application(String app) {
      this.application = app;
      return this;
    }

    /** The {@code moniker.spinnaker.io/cluster} annotation. */
    ClusterBuilder moniker(String cluster) {
      this.moniker = cluster;
      return this;
    }

    /** A Service that exists, selects {@link #selectorOf}, and versions name. */
    ClusterBuilder service(String name) {
      return service(name, selectorOf(name));
    }

    ClusterBuilder service(String name, Map<String, String> selector) {
      entries.add("service " + name);
      services.put(name, new Service(namespace, name, selector));
      return this;
    }

    /** A Service the traffic annotation names but that does not exist. */
    ClusterBuilder missingService(String name) {
      entries.add("service " + name);
      return this;
    }

    /** A Service that exists but that no version names in its traffic annotation. */
    ClusterBuilder unlistedService(String name) {
      services.put(name, new Service(namespace, name, selectorOf(name)));
      return this;
    }

    /** The raw traffic annotation value of every version (instead of one built from Services). */
    ClusterBuilder traffic(String rawJson) {
      this.traffic = rawJson;
      return this;
    }

    ClusterBuilder with(VersionBuilder... more) {
      versions.addAll(Arrays.asList(more));
      return this;
    }

    /** Ready pods labeled for every Service, owned by a uid that is none of the versions'. */
    ClusterBuilder strayPods(int count) {
      for (int i = 0; i < count; i++) {
        strayPods.add(
            new Pod(
                namespace,
                "stray-" + i,
                uid(namespace, "stray-" + i),
                "uid-of-something-else",
                selectorLabels(services.keySet()),
                true,
                false));
      }
      return this;
    }

    String trafficAnnotation() {
      if (traffic != null) {
        return traffic;
      }
      if (entries.isEmpty()) {
        return null;
      }
      return entries.stream().map(e -> "\"" + e + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    Map<String, String> selectorLabels(Iterable<String> serviceNames) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (String name : serviceNames) {
        Service svc = services.get(name);
        if (svc == null) {
          throw new IllegalArgumentException("no Service " + name + " in cluster " + application);
        }
        labels.putAll(svc.selector());
      }
      return labels;
    }

    private void addTo(List<ReplicaSet> rss, List<Pod> pods, Map<String, Service> svcs) {
      services.values().forEach(s -> svcs.put(s.namespace() + "/" + s.name(), s));
      for (VersionBuilder v : versions) {
        v.addTo(this, rss, pods);
      }
      pods.addAll(strayPods);
    }
  }

  /** One ReplicaSet and its pods; pod modifiers apply to the pods added last. */
  static final class VersionBuilder {
    private final String name;
    private Instant created;
    private Set<String> templateServices;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private boolean controlled;
    private boolean terminating;
    private Integer replicas;
    private Selector selector;
    private final List<PodGroup> groups = new ArrayList<>();

    private VersionBuilder(String name) {
      this.name = name;
    }

    VersionBuilder created(String instant) {
      this.created = Instant.parse(instant);
      return this;
    }

    VersionBuilder created(Instant instant) {
      this.created = instant;
      return this;
    }

    /** Created {@code age} before {@link #NOW}. */
    VersionBuilder age(Duration age) {
      this.created = NOW.minus(age);
      return this;
    }

    /** {@code count} Ready pods that carry every Service's selector labels. */
    VersionBuilder serving(int count) {
      groups.add(new PodGroup(count, false));
      return this;
    }

    /** {@code count} Ready pods labeled like the template (no labels when it is detached). */
    VersionBuilder pods(int count) {
      groups.add(new PodGroup(count, true));
      return this;
    }

    VersionBuilder notReady() {
      last().ready = false;
      return this;
    }

    /** The last pods have a deletionTimestamp. */
    VersionBuilder beingDeleted() {
      last().terminating = true;
      return this;
    }

    VersionBuilder unlabeled() {
      return labeledFor();
    }

    /** The last pods carry only these Services' selector labels. */
    VersionBuilder labeledFor(String... serviceNames) {
      last().likeTemplate = false;
      last().labeledFor = Set.of(serviceNames);
      return this;
    }

    /** The last pods carry exactly these labels (besides {@code app}), whatever Service's. */
    VersionBuilder podLabels(Map<String, String> labels) {
      last().likeTemplate = false;
      last().exactLabels = Map.copyOf(labels);
      return this;
    }

    /** The pod template carries no Service selector (a Disable detached it). */
    VersionBuilder detached() {
      this.templateServices = Set.of();
      return this;
    }

    /** The pod template carries only these Services' selectors. */
    VersionBuilder templateFor(String... serviceNames) {
      this.templateServices = Set.of(serviceNames);
      return this;
    }

    VersionBuilder protect() {
      return annotation(Annotations.PROTECT, "true");
    }

    VersionBuilder annotation(String key, String value) {
      annotations.put(key, value);
      removed.remove(key);
      return this;
    }

    VersionBuilder withoutAnnotation(String key) {
      annotations.remove(key);
      removed.add(key);
      return this;
    }

    /** The raw traffic annotation of this version only. */
    VersionBuilder traffic(String rawJson) {
      return annotation(Annotations.LOAD_BALANCERS, rawJson);
    }

    VersionBuilder noTraffic() {
      return withoutAnnotation(Annotations.LOAD_BALANCERS);
    }

    VersionBuilder ownedByDeployment() {
      this.controlled = true;
      return this;
    }

    VersionBuilder terminating() {
      this.terminating = true;
      return this;
    }

    VersionBuilder replicas(int n) {
      this.replicas = n;
      return this;
    }

    /** The version's {@code spec.selector}; its pods carry its matchLabels. */
    VersionBuilder selector(Selector s) {
      this.selector = s;
      return this;
    }

    /**
     * The last pods have no controlling ownerReference; one with {@code controller: false} naming
     * this version is not kept by the mapper, so in a snapshot they have no owner at all.
     */
    VersionBuilder uncontrolled() {
      last().controlled = false;
      return this;
    }

    /** The last pods lack the selector's matchLabels (still controlled by this version). */
    VersionBuilder outsideSelector() {
      last().matchSelector = false;
      return this;
    }

    private PodGroup last() {
      if (groups.isEmpty()) {
        throw new IllegalStateException("add pods to " + name + " before describing them");
      }
      return groups.get(groups.size() - 1);
    }

    private void addTo(ClusterBuilder c, List<ReplicaSet> rss, List<Pod> pods) {
      Map<String, String> ann = new LinkedHashMap<>();
      ann.put(Annotations.APPLICATION, c.application);
      ann.put(Annotations.CLUSTER, c.moniker);
      Matcher m = SUFFIX.matcher(name);
      long number = m.matches() ? Long.parseLong(m.group(1)) : 0;
      if (m.matches()) {
        ann.put(Annotations.VERSION, "v" + m.group(1));
        ann.put(Annotations.SEQUENCE, String.valueOf(number));
      }
      String traffic = c.trafficAnnotation();
      if (traffic != null) {
        ann.put(Annotations.LOAD_BALANCERS, traffic);
      }
      ann.putAll(annotations);
      removed.forEach(ann::remove);
      Set<String> all = c.services.keySet();
      Map<String, String> template = new LinkedHashMap<>(Map.of("app", c.application));
      Set<String> templated = templateServices == null ? all : templateServices;
      template.putAll(c.selectorLabels(templated));
      String uid = uid(c.namespace, name);
      Selector sel = selector != null ? selector : Selector.of(Map.of("app", c.application));
      int podCount = 0;
      for (PodGroup g : groups) {
        for (int i = 0; i < g.count; i++) {
          String podName = name + "-" + podCount++;
          Map<String, String> labels = new LinkedHashMap<>(Map.of("app", c.application));
          if (g.matchSelector) {
            labels.putAll(sel.matchLabels());
          } else {
            sel.matchLabels().keySet().forEach(labels::remove);
          }
          if (g.exactLabels != null) {
            labels.putAll(g.exactLabels);
          } else {
            labels.putAll(
                c.selectorLabels(
                    g.likeTemplate ? templated : g.labeledFor == null ? all : g.labeledFor));
          }
          pods.add(
              new Pod(
                  c.namespace,
                  podName,
                  uid(c.namespace, podName),
                  g.controlled ? uid : "",
                  labels,
                  g.ready,
                  g.terminating));
        }
      }
      Instant at = created != null ? created : BASE.plus(Duration.ofHours(number));
      rss.add(
          new ReplicaSet(
              c.namespace,
              name,
              uid,
              "1",
              at,
              controlled,
              terminating,
              ann,
              Map.of("app.kubernetes.io/managed-by", "spinnaker"),
              template,
              replicas != null ? replicas : podCount,
              sel));
    }
  }

  private static final class PodGroup {
    final int count;

    /** Labeled like the pod template, whatever it ends up being. */
    boolean likeTemplate;

    /** The Services whose selectors the pods carry; null = all of the cluster's. */
    Set<String> labeledFor;

    /** When set, the pods' labels instead of any Service's selector. */
    Map<String, String> exactLabels;

    boolean ready = true;
    boolean terminating;
    boolean controlled = true;
    boolean matchSelector = true;

    PodGroup(int count, boolean likeTemplate) {
      this.count = count;
      this.likeTemplate = likeTemplate;
    }
  }
}
