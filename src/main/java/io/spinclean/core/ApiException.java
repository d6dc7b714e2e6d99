package io.spinclean.core;

/**
 * The Kubernetes API could not be used: unreachable, TLS, authentication, authorization, a missing
 * namespace, an exhausted retry budget. The message is one sentence that says what was being done
 * and what to do about it (e.g. "cannot list replicasets in namespace x: forbidden; grant the Role
 * in deploy/"); the CLI prints it and exits 1.
 */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  public ApiException(String message) {
    super(message);
  }

  public ApiException(String message, Throwable cause) {
    super(message, cause);
  }
}
