package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random snapshots for {@link PlannerProperties}: two namespaces, two applications, three Services
 * per namespace (missing, normal or with an empty selector), ReplicaSets that are Spinnaker
 * versions or not (no annotations, Deployment-owned, terminating, legacy JSON-quoted), creation
 * times with ties, pods Ready or not, terminating or not, with any subset of selectors. The specs
 * are kept next to the snapshot so properties can check the planner independently.
 */
final class RandomWorlds {
  static final Instant BASE = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant TAKEN_AT = BASE.plus(Duration.ofMinutes(5));
  static final int SERVICES = 3;
  private static final List<String> NAMESPACES = List.of("n0", "n1");

  private RandomWorlds() {}

  enum Kind {
    VERSION,
    LEGACY_QUOTED,
    NO_ANNOTATIONS,
    DEPLOYMENT_OWNED,
    TERMINATING;

    boolean isVersion() {
      return this == VERSION || this == LEGACY_QUOTED;
    }
  }

  enum ServiceState {
    MISSING,
    NORMAL,
    EMPTY_SELECTOR
  }

  /** The traffic annotation: absent, a list naming these Services, or not JSON at all. */
  record Traffic(boolean present, boolean malformed, Set<Integer> services) {}

  record RsSpec(
      int namespace,
      int app,
      Kind kind,
      int createdSecond,
      int number,
      boolean protect,
      Traffic traffic,
      Set<Integer> template) {}

  record PodSpec(int owner, boolean ready, boolean terminating, Set<Integer> labels) {}

  /** A snapshot, the specs it was built from, and a policy. */
  record World(
      List<RsSpec> rsSpecs, List<ServiceState> services, Snapshot snapshot, Policy policy) {
    /** The spec of the ReplicaSet with this uid. */
    RsSpec spec(String uid) {
      return rsSpecs.get(Integer.parseInt(uid.substring(uid.lastIndexOf('-') + 1)));
    }

    String namespace(int i) {
      return NAMESPACES.get(i);
    }
  }

  static Arbitrary<World> worlds() {
    Arbitrary<List<RsSpec>> rss = rsSpecs().list().ofMinSize(2).ofMaxSize(9);
    Arbitrary<List<ServiceState>> services =
        Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(ServiceState.MISSING)),
                Tuple.of(6, Arbitraries.just(ServiceState.NORMAL)),
                Tuple.of(1, Arbitraries.just(ServiceState.EMPTY_SELECTOR)))
            .list()
            .ofSize(NAMESPACES.size() * SERVICES);
    Arbitrary<List<PodSpec>> pods = podSpecs().list().ofMaxSize(40);
    return Combinators.combine(rss, services, pods, policies()).as(RandomWorlds::build);
  }

  private static Arbitrary<RsSpec> rsSpecs() {
    Arbitrary<Kind> kind =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(Kind.VERSION)),
            Tuple.of(2, Arbitraries.just(Kind.LEGACY_QUOTED)),
            Tuple.of(1, Arbitraries.just(Kind.NO_ANNOTATIONS)),
            Tuple.of(1, Arbitraries.just(Kind.DEPLOYMENT_OWNED)),
            Tuple.of(1, Arbitraries.just(Kind.TERMINATING)));
    Arbitrary<Traffic> traffic =
        Arbitraries.frequencyOf(
            // As Spinnaker writes it, the same list on every version; sometimes not.
            Tuple.of(60, Arbitraries.just(new Traffic(true, false, Set.of(0, 1, 2)))),
            Tuple.of(6, serviceSubsets().map(s -> new Traffic(true, false, s))),
            Tuple.of(4, Arbitraries.just(new Traffic(false, false, Set.of()))),
            Tuple.of(1, Arbitraries.just(new Traffic(true, true, Set.of()))));
    return Combinators.combine(
            // Mostly one namespace and one application, so clusters have several versions.
            Arbitraries.of(0, 0, 0, 1),
            Arbitraries.of(0, 0, 0, 1),
            kind,
            // Seconds apart, with ties; 0..300 straddles a --min-age of 2 minutes.
            Arbitraries.of(0, 0, 60, 120, 200, 240, 290, 300),
            Arbitraries.of(1, 2, 9, 10, 999, 1000),
            Arbitraries.of(false, false, false, true),
            traffic,
            Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.of(0, 1, 2))), Tuple.of(2, serviceSubsets())))
        .as(RsSpec::new);
  }

  private static Arbitrary<Set<Integer>> serviceSubsets() {
    return Arbitraries.integers().between(0, SERVICES - 1).set().ofMaxSize(SERVICES);
  }

  private static Arbitrary<PodSpec> podSpecs() {
    return Combinators.combine(
            Arbitraries.integers().between(-1, 8),
            Arbitraries.of(true, true, false),
            Arbitraries.of(false, false, false, true),
            Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.of(0, 1, 2))), Tuple.of(3, serviceSubsets())))
        .as(PodSpec::new);
  }

  private static Arbitrary<Policy> policies() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(Duration.ZERO, Duration.ofMinutes(2), Duration.ofHours(1)),
            Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(OptionalInt.empty())),
                Tuple.of(2, Arbitraries.integers().between(0, 4).map(OptionalInt::of))))
        .as(
            (keep, minAge, max) ->
                Policy.DEFAULT.withKeepPrevious(keep).withMinAge(minAge).withMaxDeletions(max));
  }

  static String serviceName(int i) {
    return "s" + i;
  }

  static Map<String, String> selector(int i) {
    return Map.of("lb-" + serviceName(i), "true");
  }

  private static Map<String, String> labels(Set<Integer> services) {
    Map<String, String> labels = new HashMap<>(Map.of("app", "x"));
    services.forEach(i -> labels.putAll(selector(i)));
    return labels;
  }

  private static World build(
      List<RsSpec> rsSpecs, List<ServiceState> states, List<PodSpec> podSpecs, Policy policy) {
    List<ReplicaSet> rss = new ArrayList<>();
    for (int i = 0; i < rsSpecs.size(); i++) {
      rss.add(replicaSet(i, rsSpecs.get(i)));
    }
    List<Service> services = new ArrayList<>();
    for (int n = 0; n < NAMESPACES.size(); n++) {
      for (int i = 0; i < SERVICES; i++) {
        ServiceState state = states.get(n * SERVICES + i);
        if (state != ServiceState.MISSING) {
          Map<String, String> selector =
              state == ServiceState.NORMAL ? selector(i) : Map.<String, String>of();
          services.add(new Service(NAMESPACES.get(n), serviceName(i), selector));
        }
      }
    }
    List<Pod> pods = new ArrayList<>();
    for (int p = 0; p < podSpecs.size(); p++) {
      PodSpec spec = podSpecs.get(p);
      boolean owned = spec.owner() >= 0 && spec.owner() < rss.size();
      String ns = owned ? rss.get(spec.owner()).namespace() : NAMESPACES.get(p % 2);
      String owner = owned ? rss.get(spec.owner()).uid() : "uid-stranger";
      pods.add(
          new Pod(
              ns,
              "pod-" + p,
              "pod-uid-" + p,
              owner,
              labels(spec.labels()),
              spec.ready(),
              spec.terminating()));
    }
    return new World(rsSpecs, states, new Snapshot(TAKEN_AT, rss, pods, services), policy);
  }

  private static ReplicaSet replicaSet(int index, RsSpec spec) {
    String app = "a" + spec.app();
    Map<String, String> ann = new LinkedHashMap<>();
    if (spec.kind() != Kind.NO_ANNOTATIONS) {
      boolean quoted = spec.kind() == Kind.LEGACY_QUOTED;
      ann.put(Annotations.APPLICATION, quoted ? "\"" + app + "\"" : app);
      ann.put(Annotations.CLUSTER, quoted ? "\"replicaSet " + app + "\"" : "replicaSet " + app);
    }
    ann.put(Annotations.VERSION, "v" + String.format("%03d", spec.number()));
    if (spec.protect()) {
      ann.put(Annotations.PROTECT, "true");
    }
    Traffic t = spec.traffic();
    if (t.present()) {
      ann.put(Annotations.LOAD_BALANCERS, t.malformed() ? "service s0" : entries(t.services()));
    }
    return new ReplicaSet(
        NAMESPACES.get(spec.namespace()),
        app + "-v" + String.format("%03d", spec.number()) + "-" + index,
        "rs-uid-" + index,
        "1",
        BASE.plusSeconds(spec.createdSecond()),
        spec.kind() == Kind.DEPLOYMENT_OWNED,
        spec.kind() == Kind.TERMINATING,
        ann,
        Map.of(),
        labels(spec.template()),
        1,
        Selector.of(Map.of("app", "x")));
  }

  private static String entries(Set<Integer> services) {
    return services.stream()
        .sorted()
        .map(i -> "\"" + (i == 1 ? "svc " : "Service ") + serviceName(i) + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
