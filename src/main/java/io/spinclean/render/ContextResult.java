package io.spinclean.render;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;

/**
 * One Kubernetes context of a run over several: its plan (and, for apply, its report), or the
 * one-sentence reason it failed. A context that failed after it was planned (apply could not
 * re-read it) has its plan, a report, and an error.
 *
 * @param name the context's name; null for a pod's service account (no kubeconfig)
 * @param plan the plan shown, or null when the context could not be planned
 * @param report what apply did, or null (plan, or no plan)
 * @param error the sentence saying why the context failed, or null when it did not
 */
public record ContextResult(String name, Plan plan, ApplyReport report, String error) {
  public static ContextResult planned(String name, Plan plan) {
    return new ContextResult(name, plan, null, null);
  }

  public static ContextResult failed(String name, String error) {
    return new ContextResult(name, null, null, error);
  }

  public boolean ok() {
    return error == null;
  }

  /** How a person reads the context's name: itself, or {@code (in-cluster)}. */
  public String label() {
    return name == null ? "(in-cluster)" : SafeText.printable(name);
  }
}
