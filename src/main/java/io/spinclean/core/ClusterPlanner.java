package io.spinclean.core;

import io.spinclean.core.spinnaker.Annotations;
import io.spinclean.core.spinnaker.LoadBalancers;
import io.spinclean.core.spinnaker.VersionNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/** Plans one cluster: classify every version, then apply the policy, then the safety guards. */
final class ClusterPlanner {
  /**
   * Spinnaker's "newest" is the latest creationTimestamp (SPINNAKER.md §2); equal timestamps (one
   * second resolution) fall back to the version number, then the name and uid so the order is
   * total and independent of input order.
   */
  static final Comparator<VersionPlan> OLDEST_FIRST =
      Comparator.comparing(VersionPlan::createdAt)
          .thenComparingLong(v -> v.number().orElse(-1))
          .thenComparing(VersionPlan::name)
          .thenComparing(VersionPlan::uid);

  private final Policy policy;
  private final Instant now;
  private final Map<String, List<Pod>> podsByOwner;
  private final Map<String, Service> servicesByName;

  ClusterPlanner(
      Policy policy,
      Instant now,
      Map<String, List<Pod>> podsByOwner,
      Map<String, Service> servicesByName) {
    this.policy = policy;
    this.now = now;
    this.podsByOwner = podsByOwner;
    this.servicesByName = servicesByName;
  }

  ClusterPlan plan(ClusterKey key, List<ReplicaSet> replicaSets) {
    // Rule 2: the cluster's Services are the union of the versions' traffic annotations.
    TreeSet<String> declared = new TreeSet<>();
    for (ReplicaSet rs : replicaSets) {
      String raw = rs.annotations().get(Annotations.LOAD_BALANCERS);
      if (raw == null || raw.isBlank()) {
        continue;
      }
      LoadBalancers.Parsed parsed = LoadBalancers.parse(raw);
      if (parsed.error().isPresent()) {
        return unclassified(key, replicaSets, ClusterReason.MALFORMED_ANNOTATION,
            rs.name() + ": " + Annotations.LOAD_BALANCERS + " is " + parsed.error().get(),
            List.of(), List.of());
      }
      declared.addAll(parsed.services());
    }
    if (declared.isEmpty()) {
      return unclassified(key, replicaSets, ClusterReason.NOT_TRAFFIC_MANAGED,
          "no version names a Service in " + Annotations.LOAD_BALANCERS, List.of(), List.of());
    }
    List<Service> services = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : declared) {
      Service svc = servicesByName.get(key.namespace() + "/" + name);
      if (svc == null) {
        missing.add(name);
      } else {
        services.add(svc);
      }
    }
    List<String> serviceNames = services.stream().map(Service::name).toList();

    List<VersionPlan> versions = new ArrayList<>();
    for (ReplicaSet rs : replicaSets) {
      versions.add(observe(rs, services));
    }
    versions.sort(OLDEST_FIRST);
    List<String> warnings = new ArrayList<>();
    for (String name : missing) {
      warnings.add("Service " + name + " is named by " + Annotations.LOAD_BALANCERS
          + " but does not exist; ignored");
    }

    // Rule 6: a single version is left alone; the keeper is the newest serving version.
    if (versions.size() == 1) {
      VersionPlan only = versions.get(0);
      only = withRole(only, Role.ONLY, false)
          .with(Action.KEEP, Reason.ONLY_VERSION, "the cluster's only version");
      return new ClusterPlan(key, Verdict.CLEAN, ClusterReason.SINGLE_VERSION,
          "only one version", Optional.of(only.name()), serviceNames, missing, List.of(only),
          warnings);
    }
    int keeper = -1;
    for (int i = versions.size() - 1; i >= 0 && keeper < 0; i--) {
      if (versions.get(i).isServing()) {
        keeper = i;
      }
    }
    if (keeper < 0) {
      return unclassified(key, replicaSets, ClusterReason.NO_SERVING_VERSION,
          versions.size() + " versions and none serves traffic: no safe version to keep",
          serviceNames, missing);
    }

    List<VersionPlan> decided = decide(versions, keeper, warnings);
    ClusterPlan plan = new ClusterPlan(key,
        decided.stream().anyMatch(v -> v.action() == Action.DELETE) ? Verdict.CLEANUP : Verdict.CLEAN,
        decided.stream().anyMatch(v -> v.action() == Action.DELETE)
            ? ClusterReason.STALE_VERSIONS : ClusterReason.NOTHING_TO_DELETE,
        "keep " + decided.get(keeper).name(), Optional.of(decided.get(keeper).name()),
        serviceNames, missing, decided, warnings);
    String broken = trafficGuard(plan, services);
    return broken == null ? plan : refuse(plan, ClusterReason.TRAFFIC_GUARD, broken);
  }

  /** Rule 7: classify each version against the keeper, then apply protect / keep / min-age. */
  private List<VersionPlan> decide(List<VersionPlan> versions, int keeper, List<String> warnings) {
    List<VersionPlan> out = new ArrayList<>(versions);
    VersionPlan k = versions.get(keeper);
    VersionPlan kept = withRole(k, Role.KEEPER, true);
    out.set(keeper, kept.with(Action.KEEP, Reason.NEWEST_SERVING,
        "newest version serving traffic (" + k.serving() + " pods)"));
    if (kept.halfEnabled()) {
      warnings.add(k.name() + " is the keeper but only half enabled: "
          + (k.templateEnabled() ? "some pods lack" : "its pod template lacks")
          + " the Service selector labels");
    }
    int rollbackLeft = policy.keepPrevious();
    for (int i = keeper - 1; i >= 0; i--) {
      VersionPlan v = versions.get(i);
      if (v.isServing()) {
        v = withRole(v, Role.STALE_INCUMBENT, false);
        out.set(i, protectOr(v, Reason.SUPERSEDED_SERVING, "older than " + k.name()
            + " and still serving (" + v.serving() + " pods"
            + (v.halfDisabled() ? ", template detached: a Disable broke midway" : "") + ")"));
      } else {
        v = withRole(v, Role.PREVIOUS, false);
        if (v.protect()) {
          out.set(i, protectOr(v, Reason.SUPERSEDED, "protected"));
        } else if (rollbackLeft > 0) {
          rollbackLeft--;
          out.set(i, v.with(Action.RETAIN, Reason.ROLLBACK_TARGET,
              "rollback target kept by --keep-previous " + policy.keepPrevious()));
        } else {
          out.set(i, v.with(Action.DELETE, Reason.SUPERSEDED,
              "older than " + k.name() + ", serves no traffic"));
        }
      }
    }
    for (int i = keeper + 1; i < versions.size(); i++) {
      VersionPlan v = withRole(versions.get(i), Role.FAILED_CANDIDATE, false);
      Duration age = Duration.between(v.createdAt(), now);
      if (!v.protect() && age.compareTo(policy.minAge()) < 0) {
        out.set(i, v.with(Action.RETAIN, Reason.TOO_YOUNG, "newer than " + k.name()
            + " and younger than --min-age " + policy.minAge() + ": a deploy may be in progress"));
      } else {
        out.set(i, protectOr(v, Reason.FAILED_CANDIDATE, "newer than " + k.name()
            + " but never took traffic (" + v.readyPods() + "/" + v.pods() + " pods ready)"));
      }
    }
    return out;
  }

  private VersionPlan protectOr(VersionPlan v, Reason reason, String detail) {
    if (v.protect()) {
      return v.with(Action.RETAIN, Reason.PROTECTED, "annotated " + Annotations.PROTECT + "=true");
    }
    return v.with(Action.DELETE, reason, detail);
  }

  /**
   * Rule 8: every Service that has a serving pod in this cluster must still have one among the
   * versions that are not deleted. Returns why it breaks, or null.
   */
  private static String trafficGuard(ClusterPlan plan, List<Service> services) {
    for (Service svc : services) {
      boolean before = plan.versions().stream()
          .anyMatch(v -> v.servedServices().contains(svc.name()));
      boolean after = plan.versions().stream()
          .anyMatch(v -> v.action() != Action.DELETE && v.servedServices().contains(svc.name()));
      if (before && !after) {
        return "Service " + svc.name() + " would lose its last serving pod";
      }
    }
    return null;
  }

  /** Turns every deletion of a planned cluster into a retention, keeping the roles visible. */
  static ClusterPlan refuse(ClusterPlan plan, ClusterReason reason, String why) {
    List<VersionPlan> versions = plan.versions().stream()
        .map(v -> v.action() == Action.DELETE
            ? v.with(Action.RETAIN, Reason.CLUSTER_REFUSED, "would delete (" + v.detail()
                + ") but the cluster is refused")
            : v)
        .toList();
    return new ClusterPlan(plan.key(), Verdict.REFUSED, reason, why, plan.keep(), plan.services(),
        plan.missingServices(), versions, plan.warnings());
  }

  private ClusterPlan unclassified(ClusterKey key, List<ReplicaSet> replicaSets,
      ClusterReason reason, String why, List<String> services, List<String> missing) {
    Reason versionReason =
        reason.verdict() == Verdict.SKIPPED ? Reason.CLUSTER_SKIPPED : Reason.CLUSTER_REFUSED;
    List<Service> existing = services.stream()
        .map(n -> servicesByName.get(key.namespace() + "/" + n)).toList();
    List<VersionPlan> versions = replicaSets.stream()
        .map(rs -> observe(rs, existing))
        .sorted(OLDEST_FIRST)
        .map(v -> v.with(Action.RETAIN, versionReason, why))
        .toList();
    return new ClusterPlan(key, reason.verdict(), reason, why, Optional.empty(), services, missing,
        versions, List.of());
  }

  /** Rules 3 and 4: what a version's pods do right now. */
  private VersionPlan observe(ReplicaSet rs, List<Service> services) {
    List<Pod> pods = podsByOwner.getOrDefault(rs.namespace() + "/" + rs.uid(), List.of());
    int ready = 0;
    int serving = 0;
    int labeledNotReady = 0;
    TreeSet<String> served = new TreeSet<>();
    for (Pod pod : pods) {
      if (pod.ready()) {
        ready++;
      }
      boolean labeled = false;
      for (Service svc : services) {
        if (svc.selects(pod.labels())) {
          labeled = true;
          if (pod.receivesTraffic()) {
            served.add(svc.name());
          }
        }
      }
      if (labeled && pod.receivesTraffic()) {
        serving++;
      } else if (labeled) {
        labeledNotReady++;
      }
    }
    boolean templateEnabled = services.stream().anyMatch(s -> s.selects(rs.templateLabels()));
    OptionalLong number = VersionNumber.of(rs.name(), rs.annotations(), rs.labels());
    boolean protect =
        "true".equalsIgnoreCase(Annotations.unquote(rs.annotations().get(Annotations.PROTECT)));
    return new VersionPlan(rs.name(), rs.uid(), rs.resourceVersion(), rs.createdAt(), number,
        rs.replicas(), pods.size(), ready, serving, labeledNotReady, List.copyOf(served),
        templateEnabled, !templateEnabled && serving > 0, false, protect, Role.UNCLASSIFIED,
        Action.RETAIN, Reason.CLUSTER_REFUSED, "");
  }

  /** Sets the role; a keeper is half enabled when its template or any live pod lacks traffic. */
  private static VersionPlan withRole(VersionPlan v, Role role, boolean keeper) {
    boolean halfEnabled = keeper
        && (!v.templateEnabled() || v.serving() + v.labeledNotReady() < v.pods());
    return new VersionPlan(v.name(), v.uid(), v.resourceVersion(), v.createdAt(), v.number(),
        v.replicas(), v.pods(), v.readyPods(), v.serving(), v.labeledNotReady(),
        v.servedServices(), v.templateEnabled(), v.halfDisabled(), halfEnabled, v.protect(), role,
        v.action(), v.reason(), v.detail());
  }
}
