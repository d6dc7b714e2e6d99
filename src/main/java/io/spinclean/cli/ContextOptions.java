package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.kube.KubeConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection flags of {@code plan} and {@code apply}: kubectl's {@code --kubeconfig} and {@code
 * --context}, which here may name several contexts, {@code --all-contexts}, and how many contexts
 * run at once. {@code watch} keeps {@link ConnectionOptions}: one context per process.
 */
final class ContextOptions {
  static final int DEFAULT_PARALLEL = 4;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Path to the kubeconfig file (default, as kubectl: the files of $KUBECONFIG merged,"
              + " else ~/.kube/config, else inside a pod its service account).")
  String kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      split = ",",
      description =
          "The kubeconfig context to use (default: the current context). Repeatable: with"
              + " several, each context is planned (and applied) on its own, concurrently.")
  List<String> contexts = new ArrayList<>();

  @Option(
      names = "--all-contexts",
      description = "Every context of the kubeconfig, in kubeconfig order.")
  boolean allContexts;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_PARALLEL,
      description =
          "With several contexts, how many are read and applied at once (default:"
              + " ${DEFAULT-VALUE}). Output is in kubeconfig order whatever finishes first.")
  int parallel;

  /** Checks the flags; call before anything else. */
  void validate() {
    for (String name : contexts) {
      if (name.isBlank()) {
        throw new ParameterException(
            spec.commandLine(), "--context must not be empty: name a context, or leave it out");
      }
    }
    if (allContexts && !contexts.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--context and --all-contexts exclude each other: give one");
    }
    if (parallel < 1) {
      throw new ParameterException(spec.commandLine(), "--parallel must be 1 or more");
    }
  }

  /**
   * Whether this run covers several contexts: {@code --all-contexts}, or two or more {@code
   * --context} names. Only then does the output name contexts; one context prints as it always did.
   */
  boolean several() {
    return allContexts || new LinkedHashSet<>(contexts).size() > 1;
  }

  /** The one context of a single-context run, or null for the current context. */
  String single() {
    return contexts.isEmpty() ? null : contexts.get(0);
  }

  /**
   * The contexts of a run over several, in order: as given (each once), or with {@code
   * --all-contexts} the kubeconfig's. A kubeconfig without contexts (inside a pod) gives one
   * unnamed entry, null: the connection kubectl would use.
   */
  List<String> names() throws ApiException {
    if (!allContexts) {
      return List.copyOf(new LinkedHashSet<>(contexts));
    }
    List<String> all = KubeConnection.contexts(kubeconfig);
    List<String> names = new ArrayList<>(all);
    if (names.isEmpty()) {
      names.add(null);
    }
    return names;
  }
}
