package io.spinclean.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A ReplicaSet's {@code spec.selector}: every {@code matchLabels} pair and every {@code
 * matchExpressions} requirement must hold, as Kubernetes evaluates them.
 *
 * <p>Invariant: a selector with a {@link #problem()} (an unknown operator, values where none are
 * allowed or none where some are needed, a term without key, or no term at all, which would select
 * every pod) matches no pod, and the planner refuses the cluster of a version that has one (rule 3
 * in docs/decisions.md): reading it any wider could give a version pods that are not its own.
 *
 * @param matchLabels {@code spec.selector.matchLabels}: the label must be present with this value
 * @param matchExpressions {@code spec.selector.matchExpressions}, as written
 */
public record Selector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  /** The operators of a Kubernetes LabelSelector requirement. */
  static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  public Selector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** A selector of {@code matchLabels} only. */
  public static Selector of(Map<String, String> matchLabels) {
    return new Selector(matchLabels, List.of());
  }

  /**
   * One {@code matchExpressions} entry as written; a null key or operator is empty.
   *
   * @param operator {@code In}, {@code NotIn}, {@code Exists} or {@code DoesNotExist}; anything
   *     else is kept, and makes the selector unreadable
   */
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      key = key == null ? "" : key;
      operator = operator == null ? "" : operator;
      values = List.copyOf(values);
    }

    Optional<String> problem() {
      if (key.isEmpty()) {
        return Optional.of("a matchExpressions entry has no key");
      }
      if (!OPERATORS.contains(operator)) {
        return Optional.of("matchExpressions operator \"" + operator + "\" is unknown");
      }
      boolean needsValues = operator.equals("In") || operator.equals("NotIn");
      if (needsValues == values.isEmpty()) {
        return Optional.of(
            "matchExpressions operator "
                + operator
                + (needsValues ? " needs values" : " takes no values")
                + " (key "
                + key
                + ")");
      }
      return Optional.empty();
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
    }
  }

  /** Why the selector cannot be used, or empty when it can. */
  public Optional<String> problem() {
    if (matchLabels.isEmpty() && matchExpressions.isEmpty()) {
      return Optional.of("spec.selector is missing or empty: it would select every pod");
    }
    if (matchLabels.containsKey("")) {
      return Optional.of("a matchLabels key is empty");
    }
    for (Requirement r : matchExpressions) {
      Optional<String> problem = r.problem();
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** The labels satisfy every term; always false for a selector with a {@link #problem()}. */
  public boolean matches(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (problem().isPresent()) {
      return false;
    }
    for (Map.Entry<String, String> term : matchLabels.entrySet()) {
      if (!term.getValue().equals(labels.get(term.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(labels));
  }
}
