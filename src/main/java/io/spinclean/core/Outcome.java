package io.spinclean.core;

/** What happened to one planned deletion during {@code apply}. */
public enum Outcome {
  /** The DELETE was accepted. */
  DELETED,
  /** 404 on delete: someone else removed it first. Counts as success. */
  ALREADY_GONE,
  /** The version changed between the plan and the delete (re-plan or 409): nothing deleted. */
  SKIPPED_CHANGED,
  /** The API server answered with an unexpected error: nothing more is attempted. */
  FAILED,
  /** Not attempted: an earlier deletion failed, or spinclean was stopping (SIGTERM). */
  NOT_ATTEMPTED;

  public boolean isFailure() {
    return this == FAILED || this == NOT_ATTEMPTED;
  }
}
