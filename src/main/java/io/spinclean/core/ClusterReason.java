package io.spinclean.core;

/** Why a cluster got its verdict. */
public enum ClusterReason {
  SINGLE_VERSION(Verdict.CLEAN),
  NOTHING_TO_DELETE(Verdict.CLEAN),
  STALE_VERSIONS(Verdict.CLEANUP),
  NOT_TRAFFIC_MANAGED(Verdict.SKIPPED),
  MALFORMED_ANNOTATION(Verdict.REFUSED),
  MALFORMED_SELECTOR(Verdict.REFUSED),
  NO_SERVING_VERSION(Verdict.REFUSED),
  TRAFFIC_GUARD(Verdict.REFUSED),
  MAX_DELETIONS_EXCEEDED(Verdict.REFUSED);

  private final Verdict verdict;

  ClusterReason(Verdict verdict) {
    this.verdict = verdict;
  }

  public Verdict verdict() {
    return verdict;
  }
}
