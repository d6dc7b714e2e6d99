package io.spinclean.core;

import java.util.Map;
import java.util.Objects;

/** A Service: its name and {@code spec.selector}. */
public record Service(String namespace, String name, Map<String, String> selector) {
  public Service {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    selector = Map.copyOf(selector);
  }

  /**
   * A Service fronts a pod when the pod's labels contain every key/value of a non-empty selector.
   * An empty selector selects no pods by label (its endpoints are managed by hand).
   */
  public boolean selects(Map<String, String> podLabels) {
    if (selector.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(podLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
