package io.spinclean.cli;

/**
 * spinclean's documented exit codes (README.md, docs/spinnaker.md). When several apply, the highest
 * in precedence wins: {@link #COULD_NOT_RUN} and {@link #USAGE} before {@link #DELETION_FAILED}
 * before {@link #REFUSED} before {@link #WAIT_TIMED_OUT} before {@link #OK}.
 */
final class ExitCode {
  /** Everything planned (and, for apply, done). */
  static final int OK = 0;

  /** Could not run: the API server, authentication, authorization, I/O. */
  static final int COULD_NOT_RUN = 1;

  /** Usage error, or input that cannot be read. */
  static final int USAGE = 2;

  /** At least one cluster was REFUSED, or a planned deletion was skipped because it changed. */
  static final int REFUSED = 3;

  /**
   * At least one deletion failed, or its outcome is unknown because apply failed unexpectedly on
   * the way (apply).
   */
  static final int DELETION_FAILED = 4;

  /**
   * Every planned deletion was done, but {@code --wait} ended with deleted objects still present:
   * it timed out, or could not check (apply). Not a success: a pipeline must not carry on as if the
   * versions were gone. Below a refusal (3), which needs a person more.
   */
  static final int WAIT_TIMED_OUT = 5;

  private ExitCode() {}
}
