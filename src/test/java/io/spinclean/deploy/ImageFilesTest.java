package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be tested of the container image without a Docker engine: the entrypoint script
 * (docker/spinclean) with a stub {@code java} that prints the command line it gets, the real jar
 * through it when the build made one, and that the Dockerfile and the jib profile agree with it.
 */
class ImageFilesTest {
  static final Path ENTRYPOINT = Path.of("docker", "spinclean");
  static final List<String> SHORT_RUN =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:-UsePerfData",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  @TempDir Path tmp;

  /** What a process printed and how it ended. */
  record Result(int exitCode, List<String> out, String err) {}

  @BeforeAll
  static void needsPosixShell() {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh: the entrypoint script is not tested");
  }

  @Test
  void withTheAotCacheTheJarRunsWithItAndTheShortRunFlags() throws Exception {
    Path home = home(true);
    Result r = entrypoint(Map.of("SPINCLEAN_HOME", home.toString()), "plan", "-n", "example");

    List<String> expected = new ArrayList<>();
    expected.add(stub().toString());
    expected.add("-XX:AOTCache=" + home.resolve("spinclean.aot"));
    expected.addAll(SHORT_RUN);
    expected.addAll(
        List.of("-jar", home.resolve("spinclean.jar").toString(), "plan", "-n", "example"));
    assertThat(r.out()).isEqualTo(expected);
  }

  @Test
  void withoutTheCacheTheJarRunsWithoutIt() throws Exception {
    Path home = home(false);
    Result r = entrypoint(Map.of("SPINCLEAN_HOME", home.toString()), "--version");

    assertThat(r.out())
        .noneMatch(a -> a.startsWith("-XX:AOTCache"))
        .containsSubsequence(SHORT_RUN)
        .endsWith("-jar", home.resolve("spinclean.jar").toString(), "--version");
  }

  @Test
  void extraOptionsComeAfterTheDefaultsAndArgumentsStayWhole() throws Exception {
    Path home = home(false);
    Result r =
        entrypoint(
            Map.of("SPINCLEAN_HOME", home.toString(), "SPINCLEAN_JAVA_OPTS", "-Xmx64m  -Dglob=*"),
            "apply",
            "--cluster",
            "replicaSet webapp",
            "",
            "*");

    assertThat(r.out())
        .containsSubsequence("-Xlog:all=warning:stderr", "-Xmx64m", "-Dglob=*", "-jar");
    // A Spinnaker cluster name has a space; an empty argument and '*' reach the CLI as given.
    assertThat(r.out()).endsWith("apply", "--cluster", "replicaSet webapp", "", "*");
  }

  @Test
  void javaAndJavaHomePickTheJavaBinary() throws Exception {
    Path home = home(false);
    Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
    Path fromHome = writeStub(jdk.resolve("java"));
    Path explicit = writeStub(tmp.resolve("my-java"));

    Result viaHome =
        entrypoint(
            Map.of("SPINCLEAN_HOME", home.toString(), "JAVA_HOME", tmp.resolve("jdk").toString()),
            "--version");
    Result viaJava =
        entrypoint(
            Map.of(
                "SPINCLEAN_HOME",
                home.toString(),
                "JAVA_HOME",
                tmp.resolve("jdk").toString(),
                "JAVA",
                explicit.toString()),
            "--version");

    assertThat(viaHome.out().get(0)).isEqualTo(fromHome.toString());
    assertThat(viaJava.out().get(0)).isEqualTo(explicit.toString());
  }

  @Test
  void theEntrypointRunsTheBuiltJar() throws Exception {
    Path jar = builtJar();
    Assumptions.assumeTrue(
        Files.isRegularFile(jar),
        "no "
            + jar
            + " yet (tests run before"
            + " `package`): the entrypoint was not tried on the real jar");
    Path home = Files.createDirectories(tmp.resolve("app"));
    Files.createSymbolicLink(home.resolve("spinclean.jar"), jar.toAbsolutePath());

    Result r =
        run(
            List.of("sh", ENTRYPOINT.toString(), "--version"),
            Map.of(
                "SPINCLEAN_HOME", home.toString(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString()));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().get(0)).startsWith("spinclean ");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void theDockerfileTrainsTheCacheThroughTheEntrypoint() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));

    assertThat(dockerfile)
        .contains("FROM maven:3.9-eclipse-temurin-25 AS build")
        .contains("FROM eclipse-temurin:25-jre\n")
        .contains("mvn -B -DskipTests")
        .contains("COPY --from=build /src/target/spinclean.jar /app/spinclean.jar")
        .contains("COPY docker/spinclean /usr/local/bin/spinclean")
        // Training through the entrypoint gives it the flags every later run uses.
        .contains("SPINCLEAN_JAVA_OPTS=\"-XX:AOTCacheOutput=/app/spinclean.aot\" spinclean demo")
        .contains("USER 10001:10001")
        .contains("ENTRYPOINT [\"/usr/local/bin/spinclean\"]");
    // The training run must happen after the jar and script are in place, before USER.
    assertThat(dockerfile.indexOf("AOTCacheOutput"))
        .isBetween(dockerfile.indexOf("COPY docker/spinclean"), dockerfile.indexOf("USER 10001"));
  }

  @Test
  void theJibProfileUsesTheEntrypointsFlags() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<jvmFlag>([^<]*)</jvmFlag>").matcher(pom);
    List<String> jib = new ArrayList<>();
    while (m.find()) {
      jib.add(m.group(1));
    }
    Matcher flags =
        Pattern.compile("(?m)^flags=\"([^\"]*)\"$").matcher(Files.readString(ENTRYPOINT));
    assertThat(flags.find()).isTrue();

    assertThat(Arrays.asList(flags.group(1).split(" "))).isEqualTo(SHORT_RUN);
    assertThat(jib).isEqualTo(SHORT_RUN);
    assertThat(pom)
        .contains(
            "<image>eclipse-temurin:25-jre</image>",
            "<user>10001:10001</user>",
            "<mainClass>io.spinclean.cli.Main</mainClass>");
  }

  /** /app as the image has it: the jar (empty here: the stub never reads it), maybe the cache. */
  private Path home(boolean aot) throws IOException {
    Path home = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(home.resolve("spinclean.jar"), "");
    if (aot) {
      Files.writeString(home.resolve("spinclean.aot"), "");
    }
    return home;
  }

  /** The stub {@code java} first on PATH. */
  private Path stub() throws IOException {
    Path stub = tmp.resolve("bin/java");
    return Files.exists(stub) ? stub : writeStub(stub);
  }

  /** A {@code java} that prints its own path, then each argument on a line of its own. */
  private static Path writeStub(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "#!/bin/sh\nprintf '%s\\n' \"$0\"\n" + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private Result entrypoint(Map<String, String> env, String... args) throws Exception {
    Path bin = stub().getParent();
    Map<String, String> all = new HashMap<>(env);
    all.put("PATH", bin + ":/usr/bin:/bin");
    List<String> command = new ArrayList<>(List.of("sh", ENTRYPOINT.toString()));
    command.addAll(List.of(args));
    Result r = run(command, all);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  /** Runs a command with only the given environment (no JAVA, JAVA_HOME from the build). */
  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("JAVA") || k.startsWith("SPINCLEAN"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // split with -1 keeps an empty argument; the final newline leaves one empty string to drop.
    List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
    lines.remove(lines.size() - 1);
    return new Result(p.exitValue(), lines, err);
  }

  /** The shaded jar next to the test classes, in whatever build directory this build uses. */
  private static Path builtJar() throws URISyntaxException {
    Path testClasses =
        Path.of(ImageFilesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return testClasses.getParent().resolve("spinclean.jar");
  }
}
