package io.spinclean.cli;

/**
 * spinclean's documented exit codes (README.md, docs/exit-codes.md). When several apply, the
 * highest in precedence wins: {@link #COULD_NOT_RUN} and {@link #USAGE} before {@link
 * #DELETION_FAILED} before {@link #REFUSED} before {@link #OK}.
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

  /** At least one deletion failed (apply). */
  static final int DELETION_FAILED = 4;

  private ExitCode() {}
}
