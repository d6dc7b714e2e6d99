package io.spinclean.core;

/** What the plan does with a whole cluster. */
public enum Verdict {
  /** Nothing to delete. */
  CLEAN,
  /** At least one version will be deleted. */
  CLEANUP,
  /** A safety rule failed: nothing in this cluster is deleted. */
  REFUSED,
  /** Not a traffic-managed cluster: spinclean has no opinion, nothing is deleted. */
  SKIPPED
}
