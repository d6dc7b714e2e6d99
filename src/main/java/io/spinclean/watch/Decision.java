package io.spinclean.watch;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller decided about one settled, confirmed cluster: the thing a log line, an Event
 * and a webhook message report.
 *
 * @param plan the cluster's plan that was confirmed
 * @param report what the executor did; present only for {@link Kind#EXECUTED}
 * @param message one human sentence
 */
public record Decision(Kind kind, ClusterPlan plan, Optional<ApplyReport> report, String message) {
  public Decision {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(message, "message");
    if (report.isPresent() != (kind == Kind.EXECUTED)) {
      throw new IllegalArgumentException("a report goes with EXECUTED only, not " + kind);
    }
  }

  /** The kinds of decision. */
  public enum Kind {
    /** --dry-run: these versions would have been deleted. */
    WOULD_DELETE,
    /** The executor ran; see the report for each deletion's outcome. */
    EXECUTED,
    /** The planner refused the cluster (the plan's reason says why). */
    REFUSED,
    /** Deleting would exceed --max-deletions-per-hour: nothing was deleted. */
    CAPPED
  }
}
