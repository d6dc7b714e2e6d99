package io.spinclean.cli;

import picocli.CommandLine.Option;

/** kubectl's connection flags. */
final class ConnectionOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Path to the kubeconfig file (default: in-cluster service account, else"
              + " $KUBECONFIG, else ~/.kube/config).")
  String kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to use (default: the current context).")
  String context;
}
