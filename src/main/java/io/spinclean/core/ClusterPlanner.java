package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.core.spinnaker.LoadBalancers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Plans one cluster: classify every version, then apply the policy, then the safety guards. */
final class ClusterPlanner {
  /**
   * Spinnaker's "newest" is the latest creationTimestamp (docs/spinnaker-semantics.md#clusters);
   * equal timestamps (one second resolution) fall back to the version number, then the name and uid
   * so the order is total and independent of input order.
   */
  static final Comparator<VersionPlan> OLDEST_FIRST =
      Comparator.comparing(VersionPlan::createdAt)
          .thenComparingLong(v -> v.number().orElse(-1))
          .thenComparing(VersionPlan::name)
          .thenComparing(VersionPlan::uid);

  private static final Comparator<ReplicaSet> BY_NAME =
      Comparator.comparing(ReplicaSet::name).thenComparing(ReplicaSet::uid);

  private final Retention retention;
  private final Map<String, List<Pod>> podsByOwner;
  private final Map<String, Service> servicesByName;

  ClusterPlanner(
      Policy policy,
      Instant now,
      Map<String, List<Pod>> podsByOwner,
      Map<String, Service> servicesByName) {
    this.retention = new Retention(policy, now);
    this.podsByOwner = podsByOwner;
    this.servicesByName = servicesByName;
  }

  ClusterPlan plan(ClusterKey key, List<ReplicaSet> input) {
    // Input order must not matter, not even for which malformed annotation a detail names.
    List<ReplicaSet> replicaSets = input.stream().sorted(BY_NAME).toList();
    // Rule 2: the cluster's Services are the union of the versions' traffic annotations.
    TreeSet<String> declared = new TreeSet<>();
    Map<String, List<String>> namedBy = new HashMap<>();
    for (ReplicaSet rs : replicaSets) {
      String raw = rs.annotations().get(Annotations.LOAD_BALANCERS);
      if (raw == null || raw.isBlank()) {
        continue;
      }
      LoadBalancers.Parsed parsed = LoadBalancers.parse(raw);
      if (parsed.error().isPresent()) {
        String why = rs.name() + ": " + Annotations.LOAD_BALANCERS + " " + parsed.error().get();
        return unclassified(key, replicaSets, ClusterReason.MALFORMED_ANNOTATION, why, List.of());
      }
      declared.addAll(parsed.services());
      namedBy.put(rs.name(), parsed.services());
    }
    if (declared.isEmpty()) {
      String why = "no version names a Service in " + Annotations.LOAD_BALANCERS;
      return unclassified(key, replicaSets, ClusterReason.NOT_TRAFFIC_MANAGED, why, List.of());
    }
    // Rule 3: a selector that cannot be read must never widen (nor silently empty) a version.
    for (ReplicaSet rs : replicaSets) {
      Optional<String> problem = rs.selector().problem();
      if (problem.isPresent()) {
        String why = rs.name() + ": " + problem.get();
        return unclassified(key, replicaSets, ClusterReason.MALFORMED_SELECTOR, why, List.of());
      }
    }
    List<Service> services = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String name : declared) {
      Service svc = servicesByName.get(key.namespace() + "/" + name);
      if (svc == null) {
        missing.add(name);
        warnings.add(
            "Service "
                + name
                + " is named by "
                + Annotations.LOAD_BALANCERS
                + " but does not exist; ignored");
      } else {
        services.add(svc);
      }
    }
    List<String> serviceNames = services.stream().map(Service::name).toList();
    List<VersionPlan> versions = observe(replicaSets, services);

    // Rule 6: a single version is left alone; the keeper is the newest serving version.
    if (versions.size() == 1) {
      VersionPlan only =
          Census.withRole(versions.get(0), Role.ONLY)
              .with(Action.KEEP, Reason.ONLY_VERSION, "the cluster's only version");
      return new ClusterPlan(
          key,
          Verdict.CLEAN,
          ClusterReason.SINGLE_VERSION,
          "only one version",
          Optional.of(only.name()),
          serviceNames,
          missing,
          List.of(only),
          warnings);
    }
    int keeper = versions.size() - 1;
    while (keeper >= 0 && !versions.get(keeper).isServing()) {
      keeper--;
    }
    if (keeper < 0) {
      String why = versions.size() + " versions and none serves traffic: no safe version to keep";
      return unclassified(
          key, replicaSets, ClusterReason.NO_SERVING_VERSION, why, services, missing, warnings);
    }

    List<VersionPlan> decided = retention.decide(versions, keeper, warnings);
    boolean deletes = decided.stream().anyMatch(v -> v.action() == Action.DELETE);
    String keep = decided.get(keeper).name();
    ClusterPlan plan =
        new ClusterPlan(
            key,
            deletes ? Verdict.CLEANUP : Verdict.CLEAN,
            deletes ? ClusterReason.STALE_VERSIONS : ClusterReason.NOTHING_TO_DELETE,
            "keep " + keep,
            Optional.of(keep),
            serviceNames,
            missing,
            decided,
            warnings);
    String broken = trafficGuard(plan, services, namedBy);
    return broken == null ? plan : refuse(plan, ClusterReason.TRAFFIC_GUARD, broken);
  }

  /** Rules 3 and 4 for every version, oldest first. */
  private List<VersionPlan> observe(List<ReplicaSet> replicaSets, List<Service> services) {
    List<VersionPlan> versions = new ArrayList<>();
    for (ReplicaSet rs : replicaSets) {
      List<Pod> pods =
          podsByOwner.getOrDefault(rs.namespace() + "/" + rs.uid(), List.of()).stream()
              .filter(rs::owns)
              .toList();
      versions.add(Census.observe(rs, pods, services));
    }
    versions.sort(OLDEST_FIRST);
    return versions;
  }

  /**
   * Rule 8: every Service that has a serving pod in this cluster must still have one among the
   * versions that are not deleted. Only this cluster's pods count: another cluster's pods behind
   * the same Service are that cluster's business. Returns why it breaks, or null.
   *
   * <p>The Service must also stay named by a remaining version's traffic annotation: otherwise the
   * next plan would no longer see it as the cluster's (rule 2) and could delete its last serving
   * version. That needs a version serving a Service it does not name itself (labels edited by
   * hand), so a human should look at it.
   */
  private static String trafficGuard(
      ClusterPlan plan, List<Service> services, Map<String, List<String>> namedBy) {
    for (Service svc : services) {
      String name = svc.name();
      boolean before = plan.versions().stream().anyMatch(v -> v.servedServices().contains(name));
      if (!before) {
        continue;
      }
      List<VersionPlan> remaining =
          plan.versions().stream().filter(v -> v.action() != Action.DELETE).toList();
      if (remaining.stream().noneMatch(v -> v.servedServices().contains(name))) {
        return "Service " + name + " would lose its last serving pod";
      }
      if (remaining.stream()
          .noneMatch(v -> namedBy.getOrDefault(v.name(), List.of()).contains(name))) {
        return "Service "
            + name
            + " would still be served but no longer named by any version's "
            + Annotations.LOAD_BALANCERS;
      }
    }
    return null;
  }

  /** Turns every deletion of a planned cluster into a retention, keeping the roles visible. */
  static ClusterPlan refuse(ClusterPlan plan, ClusterReason reason, String why) {
    List<VersionPlan> versions =
        plan.versions().stream()
            .map(
                v ->
                    v.action() == Action.DELETE
                        ? v.with(
                            Action.RETAIN,
                            Reason.CLUSTER_REFUSED,
                            "would delete (" + v.detail() + ") but the cluster is refused")
                        : v)
            .toList();
    return new ClusterPlan(
        plan.key(),
        Verdict.REFUSED,
        reason,
        why,
        plan.keep(),
        plan.services(),
        plan.missingServices(),
        versions,
        plan.warnings());
  }

  /** A cluster refused or skipped before any version got a role: every version is retained. */
  private ClusterPlan unclassified(
      ClusterKey key,
      List<ReplicaSet> replicaSets,
      ClusterReason reason,
      String why,
      List<String> warnings) {
    return unclassified(key, replicaSets, reason, why, List.of(), List.of(), warnings);
  }

  private ClusterPlan unclassified(
      ClusterKey key,
      List<ReplicaSet> replicaSets,
      ClusterReason reason,
      String why,
      List<Service> services,
      List<String> missing,
      List<String> warnings) {
    Reason versionReason =
        reason.verdict() == Verdict.SKIPPED ? Reason.CLUSTER_SKIPPED : Reason.CLUSTER_REFUSED;
    List<VersionPlan> versions =
        observe(replicaSets, services).stream()
            .map(v -> Census.withRole(v, Role.UNCLASSIFIED).with(Action.RETAIN, versionReason, why))
            .toList();
    List<String> serviceNames = services.stream().map(Service::name).toList();
    return new ClusterPlan(
        key,
        reason.verdict(),
        reason,
        why,
        Optional.empty(),
        serviceNames,
        missing,
        versions,
        warnings);
  }
}
