package io.spinclean.cli;

import java.time.Clock;

/** The process entry point: the only place spinclean exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Spinclean.run(args, System.out, System.err, System.in, Clock.systemUTC(),
        System.getenv());
    System.out.flush();
    System.exit(code);
  }
}
