package io.spinclean.core;

import java.util.Objects;

/**
 * The outcome of one planned deletion.
 *
 * @param drained the version's pods were disabled (selector labels removed) before the delete
 * @param detail a human sentence: why it was skipped, the API error, what remained after --wait
 */
public record DeletionResult(
    ClusterKey cluster, String name, String uid, Outcome outcome, boolean drained, String detail) {
  public DeletionResult {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
    uid = uid == null ? "" : uid;
    detail = detail == null ? "" : detail;
  }
}
