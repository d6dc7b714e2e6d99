package io.spinclean.core;

import java.util.Comparator;
import java.util.Objects;

/**
 * A Spinnaker cluster: ReplicaSets of one namespace whose application and cluster annotations are
 * equal strings (docs/spinnaker-semantics.md#clusters).
 */
public record ClusterKey(String namespace, String application, String cluster)
    implements Comparable<ClusterKey> {
  private static final Comparator<ClusterKey> ORDER =
      Comparator.comparing(ClusterKey::namespace)
          .thenComparing(ClusterKey::application)
          .thenComparing(ClusterKey::cluster);

  public ClusterKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public int compareTo(ClusterKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return namespace + "/" + application + "/" + cluster;
  }
}
