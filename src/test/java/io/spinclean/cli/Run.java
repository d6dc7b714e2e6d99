package io.spinclean.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** One in-process run of the command line: exit code and everything printed. */
record Run(int exitCode, String out, String err) {
  static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

  static Run of(String... args) {
    return withStdin("", args);
  }

  static Run withStdin(String stdin, String... args) {
    return run(stdin, Clock.fixed(NOW, ZoneOffset.UTC), Map.of(), args);
  }

  /** With these process environment variables. */
  static Run withEnv(Map<String, String> env, String... args) {
    return run("", Clock.fixed(NOW, ZoneOffset.UTC), env, args);
  }

  /** With this clock, e.g. one that fails as a bug would. */
  static Run withClock(Clock clock, String... args) {
    return run("", clock, Map.of(), args);
  }

  static Run run(String stdin, Clock clock, Map<String, String> env, String... args) {
    if (!env.containsKey("XDG_STATE_HOME") && !env.containsKey("HOME")) {
      // apply's default backup directory: one of its own per run (the clock is fixed, so the
      // bundles' names would repeat), never the user's ~/.local/state
      Map<String, String> own = new HashMap<>(env);
      own.put("XDG_STATE_HOME", stateHome());
      env = own;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Spinclean.run(
              args,
              o,
              e,
              new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
              clock,
              env);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String stateHome() {
    try {
      Path dir = Path.of("target", "test-state");
      Files.createDirectories(dir);
      return Files.createTempDirectory(dir, "run-").toAbsolutePath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
