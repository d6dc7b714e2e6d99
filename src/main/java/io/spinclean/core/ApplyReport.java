package io.spinclean.core;

import java.util.List;
import java.util.Objects;

/**
 * What {@code apply} did: the plan it showed first, then one result per deletion in that plan, in
 * plan order.
 *
 * @param remaining objects still present when {@code --wait} timed out (names), empty otherwise
 */
public record ApplyReport(Plan plan, List<DeletionResult> results, List<String> remaining) {
  public ApplyReport {
    Objects.requireNonNull(plan, "plan");
    results = List.copyOf(results);
    remaining = List.copyOf(remaining);
  }

  public boolean anyFailed() {
    return results.stream().anyMatch(r -> r.outcome().isFailure());
  }

  /** Whether {@code --wait} ended with deleted objects still present (or unconfirmed). */
  public boolean anyRemaining() {
    return !remaining.isEmpty();
  }
}
