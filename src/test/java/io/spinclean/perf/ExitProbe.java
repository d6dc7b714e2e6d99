package io.spinclean.perf;

import io.spinclean.cli.Main;
import java.util.List;

/**
 * {@link Main} with a shutdown hook that prints, on stderr, every JDK HTTP client selector thread
 * still alive when the process exits: each one holds the JVM's exit for up to 300 ms while it sits
 * in {@code epoll_wait}. Run in a child JVM by {@link LeanStartTest}.
 */
public final class ExitProbe {
  static final String MARK = "alive at exit: ";

  private ExitProbe() {}

  public static void main(String[] args) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  List<String> selectors =
                      Thread.getAllStackTraces().keySet().stream()
                          .filter(Thread::isAlive)
                          .map(Thread::getName)
                          .filter(n -> n.startsWith("HttpClient-") && n.endsWith("SelectorManager"))
                          .sorted()
                          .toList();
                  System.err.println(MARK + selectors);
                }));
    Main.main(args);
  }
}
