package io.spinclean.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which Spinnaker clusters to look at; the same flags for plan, apply and watch. */
final class SelectionOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      split = ",",
      description = "Namespace to clean (repeatable). Default: the context's namespace; with -f,"
          + " every namespace in the files.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Every namespace (overrides -n, as in kubectl).")
  boolean allNamespaces;

  @Option(
      names = "--application",
      paramLabel = "APP",
      split = ",",
      description = "Only this Spinnaker application (repeatable).")
  List<String> applications = new ArrayList<>();

  @Option(
      names = "--cluster",
      paramLabel = "CLUSTER",
      description = "Only this Spinnaker cluster, as in moniker.spinnaker.io/cluster, e.g."
          + " 'replicaSet webapp' (repeatable).")
  List<String> clusters = new ArrayList<>();

  Set<String> namespaceSet() {
    return allNamespaces ? Set.of() : new LinkedHashSet<>(namespaces);
  }
}
