package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real tools the integration tests run (kubectl, promtool, prometheus) and the built jar. */
final class Tools {
  static final Path KUBECTL = find("kubectl", "kubectl is part of these machines' image");
  static final String PROMETHEUS_HINT =
      "Debian's `prometheus` package provides it: apt-get install prometheus (.ci/run does)";

  private Tools() {}

  /** What a process printed and how it ended. */
  record Result(int exitCode, String out, String err) {}

  /** The executable on PATH, or a failure that says how to get it (never a skip). */
  static Path find(String name, String hint) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
    }
    Path usr = Path.of("/usr/bin", name);
    if (Files.isExecutable(usr)) {
      return usr;
    }
    throw new IllegalStateException("no `" + name + "` on PATH: " + hint);
  }

  /** Runs a command with exactly this environment, for at most 90 s. */
  static Result run(Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 90 s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs a command with exactly this environment and expects exit code 0. */
  static String ok(Map<String, String> env, String... command) {
    Result r = run(env, command);
    assertThat(r.exitCode()).as("%s\n%s%s", List.of(command), r.out(), r.err()).isZero();
    return r.out();
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shaded jar next to the test classes, in whatever build directory this build uses. */
  static Path builtJar() {
    try {
      Path testClasses =
          Path.of(Tools.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return testClasses.getParent().resolve("spinclean.jar");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
