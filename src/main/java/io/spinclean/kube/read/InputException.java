package io.spinclean.kube.read;

/**
 * Input the user gave cannot be read: a file that is not JSON/YAML, a document without the fields a
 * Kubernetes object must have. The message is one sentence that names the file and what is wrong;
 * the CLI prints it and exits 2.
 */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
