package io.spinclean.cli;

import io.spinclean.kube.KubeConnection;
import java.time.Clock;
import java.util.Set;

/** The process entry point: the only place spinclean exits the JVM. */
public final class Main {
  /** The commands that talk to an API server. */
  private static final Set<String> LIVE = Set.of("plan", "apply", "watch");

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && LIVE.contains(args[0])) {
      KubeConnection.prepare(); // overlaps the client's set-up with parsing the command line
    }
    int code =
        Spinclean.run(args, System.out, System.err, System.in, Clock.systemUTC(), System.getenv());
    System.out.flush();
    System.exit(code);
  }
}
