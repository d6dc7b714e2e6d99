package io.spinclean.core;

/** What a version is in its cluster, decided before any policy applies (classify, then decide). */
public enum Role {
  /** The newest version with a serving pod: the one to keep. */
  KEEPER,
  /** The cluster's only version. */
  ONLY,
  /**
   * Older than the keeper and still serving: a failed enable or disable left it (scenarios 2, 3).
   */
  STALE_INCUMBENT,
  /** Older than the keeper and serving nothing. */
  PREVIOUS,
  /** Newer than the keeper and serving nothing: a deploy that never took traffic (scenario 1). */
  FAILED_CANDIDATE,
  /** No role could be given: the cluster was refused or skipped before classification. */
  UNCLASSIFIED
}
