package io.spinclean.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./spinclean} and its class archive (docs/performance.md, "What the launcher
 * does now"), run with a stub {@code java} that logs its command lines and plays the JVM's part in
 * making archives: the first {@code plan} trains, later runs use the archive, and nothing about the
 * archive ever changes a run's exit code or stops it from running.
 */
class LauncherArchiveTest {
  private static final Path LAUNCHER = Path.of("spinclean").toAbsolutePath();
  private static final String STUB =
      """
      #!/bin/sh
      # A stand-in for java: logs its arguments, makes the files the archive flags ask for.
      echo "$*" >> "$STUB_LOG"
      for a in "$@"; do
        case "$a" in
          -XX:AOTMode=record) [ -n "${STUB_REFUSE:-}" ] && {
            echo "Error occurred during initialization of VM" >&2; exit 1; } ;;
          -XX:ArchiveClassesAtExit=*) echo archive > "${a#*=}" ;;
          -XX:AOTConfiguration=*) conf="${a#*=}" ;;
          -XX:AOTCache=*) cache="${a#*=}" ;;
        esac
      done
      case "$*" in
        *AOTMode=record*) echo conf > "$conf" ;;
        *AOTMode=create*) echo cache > "$cache"; exit 0 ;;
      esac
      echo "stub output"
      exit "${STUB_RC:-0}"
      """;

  @TempDir Path dir;
  private Path jdk;
  private Path jar;
  private Path log;

  @BeforeEach
  void setUp() throws IOException {
    jdk = dir.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = Files.writeString(jdk.resolve("bin/java"), STUB);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("build"));
    jar = Files.writeString(dir.resolve("build/spinclean.jar"), "not a jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    log = dir.resolve("java.log");
  }

  @Test
  void jdk17TrainsOnTheFirstPlanThenUsesTheArchive() throws Exception {
    release("17.0.15");
    Run first = run(Map.of("STUB_RC", "3"), "plan", "-n", "x");
    assertThat(first.code()).isEqualTo(3);
    assertThat(first.stdout()).isEqualTo("stub output\n");
    Path archive = dir.resolve("build/spinclean-jdk17.0.15.jsa");
    assertThat(archive).exists();
    assertThat(lines())
        .singleElement()
        .asString()
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=")
        .endsWith("-jar " + jar + " plan -n x");

    Run second = run(Map.of(), "plan", "-n", "x");
    assertThat(second.code()).isZero();
    assertThat(lines())
        .last()
        .asString()
        .contains("-XX:SharedArchiveFile=" + archive)
        .doesNotContain("ArchiveClassesAtExit");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void jdk25RecordsThenMakesTheCacheInTheBackground() throws Exception {
    release("25.0.3");
    Run first = run(Map.of(), "apply", "-n", "x");
    assertThat(first.code()).isZero();
    assertThat(first.stdout()).isEqualTo("stub output\n");
    Path cache = dir.resolve("build/spinclean-jdk25.0.3.aot");
    for (int i = 0; i < 100 && !Files.exists(cache); i++) {
      Thread.sleep(50);
    }
    assertThat(cache).exists();
    assertThat(lines().get(0)).contains("-XX:AOTMode=record", "-XX:+DisplayVMOutputToStderr");

    run(Map.of(), "plan");
    assertThat(lines()).last().asString().contains("-XX:AOTCache=" + cache);
  }

  @Test
  void aJvmRefusingTheTrainingFlagsRunsTheCommandWithoutThem() throws Exception {
    release("25.0.3");
    Run run = run(Map.of("STUB_REFUSE", "1", "STUB_RC", "3"), "plan");
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.stdout()).isEqualTo("stub output\n");
    assertThat(lines()).hasSize(2);
    assertThat(lines().get(1)).doesNotContain("AOTMode", "AOTCache");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void noArchiveForOtherCommandsAStaleArchiveOrWhenTurnedOff() throws Exception {
    release("17.0.15");
    run(Map.of(), "--version");
    assertThat(lines()).last().asString().doesNotContain("Archive");
    run(Map.of("SPINCLEAN_CDS", "off"), "plan");
    assertThat(lines()).last().asString().doesNotContain("Archive");

    Path archive = Files.writeString(dir.resolve("build/spinclean-jdk17.0.15.jsa"), "old");
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(600)));
    run(Map.of(), "plan"); // older than the jar: made again, not used
    assertThat(lines())
        .last()
        .asString()
        .contains("-XX:ArchiveClassesAtExit=")
        .doesNotContain("SharedArchiveFile");
  }

  @Test
  void aJobRunsWithASmallYoungGenerationTheControllerWithoutIt() throws Exception {
    run(Map.of(), "plan", "-n", "x");
    assertThat(lines()).last().asString().contains(" -Xmn8m ");
    run(Map.of(), "apply", "-n", "x");
    assertThat(lines()).last().asString().contains(" -Xmn8m ");
    run(Map.of(), "watch", "-n", "x");
    assertThat(lines()).last().asString().doesNotContain("-Xmn");
    run(Map.of("SPINCLEAN_JAVA_OPTS", "-Xmn64m"), "plan", "-n", "x");
    assertThat(lines()).last().asString().contains(" -Xmn8m -Xmn64m "); // the user's flag wins
  }

  @Test
  void anUnknownJdkRunsWithoutArchive() throws Exception {
    Run run = run(Map.of(), "plan"); // no release file
    assertThat(run.code()).isZero();
    assertThat(lines())
        .singleElement()
        .asString()
        .doesNotContain("Archive", "AOT")
        .contains("-Xlog:all=warning:stderr");
  }

  private record Run(int code, String stdout) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Stream.concat(Stream.of("bash", LAUNCHER.toString()), Stream.of(args)).toList());
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().put("SPINCLEAN_JAR", jar.toString());
    pb.environment().put("STUB_LOG", log.toString());
    pb.environment().remove("SPINCLEAN_JAVA_OPTS");
    pb.environment().remove("SPINCLEAN_CDS");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private void release(String version) throws IOException {
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
  }

  private List<String> lines() throws IOException {
    return Files.readAllLines(log);
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("build"))) {
      return files.filter(f -> f.getFileName().toString().contains(".tmp")).toList();
    }
  }
}
