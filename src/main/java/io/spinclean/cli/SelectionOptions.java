package io.spinclean.cli;

import io.spinclean.kube.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which Spinnaker clusters to look at; the same flags for plan, apply and watch. */
final class SelectionOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      split = ",",
      description =
          "Namespace to clean (repeatable). Default: the context's namespace; with -f,"
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
      description =
          "Only this Spinnaker cluster, as in moniker.spinnaker.io/cluster, e.g."
              + " 'replicaSet webapp' (repeatable).")
  List<String> clusters = new ArrayList<>();

  /** The namespaces of a live read: -A, else -n, else the context's namespace. */
  Scope scope(String defaultNamespace) {
    validate();
    if (allNamespaces) {
      return Scope.all();
    }
    return namespaces.isEmpty() ? Scope.of(defaultNamespace) : Scope.of(namespaces);
  }

  /**
   * Rejects empty values ({@code -n ""}, {@code --application a,,b}) with a usage error: an empty
   * name selects nothing, and must never be read as "everything". (An empty environment variable is
   * another matter: it counts as unset, see {@link EnvironmentDefaults}.)
   */
  void validate() {
    requireNames(namespaces, "-n/--namespace", "a namespace");
    requireNames(applications, "--application", "an application");
    requireNames(clusters, "--cluster", "a cluster");
  }

  private void requireNames(List<String> names, String flag, String what) {
    for (String name : names) {
      if (name.isBlank()) {
        throw new ParameterException(
            spec.commandLine(), flag + " must not be empty: name " + what + ", or leave it out");
      }
    }
  }

  Set<String> namespaceSet() {
    validate();
    return allNamespaces ? Set.of() : new LinkedHashSet<>(namespaces);
  }
}
