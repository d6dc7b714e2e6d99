package io.spinclean.watch;

import java.util.List;

/** Receives every decision (logs, Events, webhook). Must not block the controller for long. */
@FunctionalInterface
public interface Reporter {
  void report(Decision decision);

  /** Reports to each of {@code reporters}, in order. */
  static Reporter all(List<Reporter> reporters) {
    List<Reporter> copy = List.copyOf(reporters);
    return d -> copy.forEach(r -> r.report(d));
  }
}
