package io.spinclean.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code watch}'s metrics endpoint: where /metrics, /healthz and /readyz are served. */
final class MetricsOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9090",
      description =
          "Serve /metrics, /healthz and /readyz on this port; 0 = off (default:"
              + " ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--metrics-bind-address",
      paramLabel = "ADDRESS",
      description =
          "Serve /metrics, /healthz and /readyz on this IP address only, e.g. 127.0.0.1"
              + " (default: every interface, IPv4"
              + " and IPv6, which a pod needs: the kubelet's probes and Prometheus come from"
              + " outside it; deploy/controller/networkpolicy limits who may connect).")
  String bindAddress;

  /** Checked by {@link #address()}. */
  private InetSocketAddress address;

  boolean enabled() {
    return port != 0;
  }

  /** A port out of range is a usage error. */
  void checkPort() {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--metrics-port must be between 0 and 65535, not " + port);
    }
  }

  /** The address to serve on; an address that is not an IP is a usage error. */
  InetSocketAddress address() {
    if (address != null) {
      return address;
    }
    if (bindAddress == null) {
      address = new InetSocketAddress(port);
      return address;
    }
    String text = bindAddress.strip();
    try {
      if (!text.isEmpty()) {
        address = new InetSocketAddress(InetAddress.getAllByName(text)[0], port);
        return address;
      }
    } catch (UnknownHostException e) {
      // a usage error, below
    }
    throw new ParameterException(
        spec.commandLine(),
        "--metrics-bind-address must be an IP address, not \"" + bindAddress + "\"");
  }

  /** "port 9090" on every interface, else "127.0.0.1 port 9090". */
  String where(int actualPort) {
    return (bindAddress == null ? "" : address().getAddress().getHostAddress() + " ")
        + "port "
        + actualPort;
  }
}
