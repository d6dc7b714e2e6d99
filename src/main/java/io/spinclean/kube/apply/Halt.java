package io.spinclean.kube.apply;

import io.spinclean.core.Outcome;

/** Ends the handling of one version before its delete; carries the outcome to report. */
final class Halt extends Exception {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;

  Halt(Outcome outcome, String detail) {
    super(detail);
    this.outcome = outcome;
  }

  Outcome outcome() {
    return outcome;
  }

  String detail() {
    return getMessage();
  }
}
