package io.spinclean.watch;

/** Receives every decision (logs, Events, webhook). Must not block the controller for long. */
@FunctionalInterface
public interface Reporter {
  void report(Decision decision);
}
