package io.spinclean.core;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the user chose: which clusters to look at and how cautious to be.
 *
 * @param namespaces namespaces to plan; empty = every namespace in the snapshot
 * @param applications applications to plan; empty = all
 * @param clusters cluster names (the moniker, e.g. {@code replicaSet webapp}) to plan; empty = all
 * @param keepPrevious how many non-serving versions older than the keeper to retain for rollback
 * @param minAge versions newer than the keeper and younger than this are retained (a deploy may
 *     still be in progress)
 * @param maxDeletions when the whole plan would delete more than this, everything is refused
 */
public record Policy(
    Set<String> namespaces,
    Set<String> applications,
    Set<String> clusters,
    int keepPrevious,
    Duration minAge,
    OptionalInt maxDeletions) {
  public static final Policy DEFAULT =
      new Policy(Set.of(), Set.of(), Set.of(), 0, Duration.ZERO, OptionalInt.empty());

  public Policy {
    namespaces = Set.copyOf(namespaces);
    applications = Set.copyOf(applications);
    clusters = Set.copyOf(clusters);
    Objects.requireNonNull(minAge, "minAge");
    Objects.requireNonNull(maxDeletions, "maxDeletions");
    if (keepPrevious < 0) {
      throw new IllegalArgumentException("keepPrevious < 0: " + keepPrevious);
    }
    if (minAge.isNegative()) {
      throw new IllegalArgumentException("minAge < 0: " + minAge);
    }
    if (maxDeletions.isPresent() && maxDeletions.getAsInt() < 0) {
      throw new IllegalArgumentException("maxDeletions < 0: " + maxDeletions.getAsInt());
    }
  }

  boolean selects(ClusterKey key) {
    return (namespaces.isEmpty() || namespaces.contains(key.namespace()))
        && (applications.isEmpty() || applications.contains(key.application()))
        && (clusters.isEmpty() || clusters.contains(key.cluster()));
  }

  public Policy withKeepPrevious(int n) {
    return new Policy(namespaces, applications, clusters, n, minAge, maxDeletions);
  }

  public Policy withMinAge(Duration d) {
    return new Policy(namespaces, applications, clusters, keepPrevious, d, maxDeletions);
  }

  public Policy withMaxDeletions(OptionalInt max) {
    return new Policy(namespaces, applications, clusters, keepPrevious, minAge, max);
  }

  public Policy withNamespaces(Set<String> ns) {
    return new Policy(ns, applications, clusters, keepPrevious, minAge, maxDeletions);
  }

  public Policy withApplications(Set<String> apps) {
    return new Policy(namespaces, apps, clusters, keepPrevious, minAge, maxDeletions);
  }

  public Policy withClusters(Set<String> names) {
    return new Policy(namespaces, applications, names, keepPrevious, minAge, maxDeletions);
  }
}
