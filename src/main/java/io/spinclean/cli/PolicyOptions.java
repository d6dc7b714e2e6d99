package io.spinclean.cli;

import io.spinclean.core.Policy;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How cautious to be; the same flags for plan, apply and watch. */
final class PolicyOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--keep-previous",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Keep the N newest non-serving versions older than the keeper, as rollback"
              + " targets (default: ${DEFAULT-VALUE}).")
  int keepPrevious;

  @Option(
      names = "--min-age",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = GoDuration.class,
      // One option, two defaults: watch sets its own in code when the option is not given
      // (WatchCommand#DEFAULT_MIN_AGE), so the text names both.
      description =
          "Keep versions newer than the keeper until they are this old: a deploy may be"
              + " in progress (e.g. 10m; default: 0 for plan and apply, "
              + WatchCommand.DEFAULT_MIN_AGE
              + " for watch; at most 365d).")
  Duration minAge;

  @Option(
      names = "--max-deletions",
      paramLabel = "N",
      description =
          "Refuse everything when the plan would delete more than N versions"
              + " (default: no limit).")
  Integer maxDeletions;

  Policy toPolicy(Set<String> namespaces, SelectionOptions selection) {
    if (keepPrevious < 0) {
      throw new ParameterException(
          spec.commandLine(), "--keep-previous must be 0 or more, not " + keepPrevious);
    }
    if (maxDeletions != null && maxDeletions < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-deletions must be 0 or more, not " + maxDeletions);
    }
    return new Policy(
        namespaces,
        Set.copyOf(selection.applications),
        Set.copyOf(selection.clusters),
        keepPrevious,
        minAge,
        maxDeletions == null ? OptionalInt.empty() : OptionalInt.of(maxDeletions));
  }
}
