package io.spinclean.kube;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which namespaces a live read covers: all of them ({@code -A}), or a non-empty list without
 * duplicates, in the order given.
 */
public record Scope(boolean allNamespaces, List<String> namespaces) {
  public Scope {
    Objects.requireNonNull(namespaces, "namespaces");
    namespaces = List.copyOf(new ArrayList<>(new LinkedHashSet<>(namespaces)));
    if (allNamespaces && !namespaces.isEmpty()) {
      throw new IllegalArgumentException("all namespaces, yet namespaces are named: " + namespaces);
    }
    if (!allNamespaces && namespaces.isEmpty()) {
      throw new IllegalArgumentException("no namespace to read");
    }
    for (String ns : namespaces) {
      if (ns == null || ns.isBlank()) {
        throw new IllegalArgumentException("blank namespace in " + namespaces);
      }
    }
  }

  public static Scope all() {
    return new Scope(true, List.of());
  }

  public static Scope of(List<String> namespaces) {
    return new Scope(false, namespaces);
  }

  public static Scope of(String namespace) {
    return new Scope(false, List.of(namespace));
  }
}
