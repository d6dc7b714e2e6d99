package io.spinclean.core;

/** Why a version got its action. Every version gets one, kept versions too. */
public enum Reason {
  NEWEST_SERVING(Action.KEEP),
  ONLY_VERSION(Action.KEEP),
  SUPERSEDED_SERVING(Action.DELETE),
  SUPERSEDED(Action.DELETE),
  FAILED_CANDIDATE(Action.DELETE),
  PROTECTED(Action.RETAIN),
  ROLLBACK_TARGET(Action.RETAIN),
  TOO_YOUNG(Action.RETAIN),
  CLUSTER_REFUSED(Action.RETAIN),
  CLUSTER_SKIPPED(Action.RETAIN);

  private final Action action;

  Reason(Action action) {
    this.action = action;
  }

  /** The only action this reason can justify. */
  public Action action() {
    return action;
  }
}
