package io.spinclean.cli;

import io.spinclean.kube.KubeConnection;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** The process entry point: the only place spinclean exits the JVM. */
public final class Main {
  /** The commands that talk to an API server, unless they read files ({@link #readsFiles}). */
  private static final Set<String> LIVE = Set.of("plan", "apply", "watch");

  private Main() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    if (args.length > 0 && LIVE.contains(args[0]) && !readsFiles(args, env)) {
      KubeConnection.prepare(); // overlaps the client's set-up with parsing the command line
    }
    int code = Spinclean.run(args, System.out, System.err, System.in, Clock.systemUTC(), env);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Whether the command line (or SPINCLEAN_FILENAME) names files to read instead of a cluster: then
   * nothing of a connection is started. Read from the raw arguments, before picocli parses them;
   * when in doubt (e.g. {@code -f} clustered with other short options) it says yes, which only
   * forgoes a head start.
   */
  static boolean readsFiles(String[] args, Map<String, String> env) {
    if (!env.getOrDefault("SPINCLEAN_FILENAME", "").isBlank()) {
      return true;
    }
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--filename") || a.startsWith("--filename=")) {
        return true;
      }
      if (a.startsWith("-") && !a.startsWith("--") && a.indexOf('f') > 0) {
        return true; // -f, -f=FILE, -fFILE, -Af FILE ...
      }
    }
    return false;
  }
}
