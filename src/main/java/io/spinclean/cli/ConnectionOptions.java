package io.spinclean.cli;

import picocli.CommandLine.Option;

/**
 * kubectl's connection flags, resolved as kubectl resolves them (kube.Kubeconfig); fabric8's own
 * variables such as KUBERNETES_MASTER are ignored.
 */
final class ConnectionOptions {
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
      description =
          "The kubeconfig context to use (default: the current context). One context per"
              + " process: watch one cluster per controller; plan and apply take several.")
  String context;
}
