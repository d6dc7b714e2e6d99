package io.spinclean.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command starts only what it uses (issue 11): {@code plan -f} in its own JVM, its class-load log
 * read back, and a live {@code plan} that leaves no HTTP client thread to hold the JVM's exit.
 * Classes, not times: a class that is never loaded costs nothing, whatever the machine.
 */
class LeanStartTest {
  /** {@code [0.123s][info][class,load] java.lang.Object source: ...} */
  private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) ");

  @RegisterExtension final ArticleServer article = new ArticleServer();

  @TempDir Path dir;

  @Test
  void planFromAFileStartsNoKubernetesClientKeyFactoryNorTrustStore() throws Exception {
    Child plan = run(Map.of(), "io.spinclean.cli.Main", "plan", "-f", ArticleServer.FILE);
    assertThat(plan.code()).as(plan.output()).isEqualTo(0);
    assertThat(plan.output()).contains("4 to delete");
    assertThat(plan.classes())
        .as("classes a plan of a file does not use")
        .filteredOn(LeanStartTest::networkOnly)
        .isEmpty();
  }

  @Test
  void planFromAFileNamedByTheEnvironmentStartsNoKubernetesClient() throws Exception {
    Child plan =
        run(Map.of("SPINCLEAN_FILENAME", ArticleServer.FILE), "io.spinclean.cli.Main", "plan");
    assertThat(plan.code()).as(plan.output()).isEqualTo(0);
    assertThat(plan.output()).contains("4 to delete");
    assertThat(plan.classes()).filteredOn(LeanStartTest::networkOnly).isEmpty();
  }

  @Test
  void planBuildsTheCommandModelOfPlanOnly() throws Exception {
    Child plan = run(Map.of(), "io.spinclean.cli.Main", "plan", "-f", ArticleServer.FILE);
    assertThat(plan.code()).as(plan.output()).isEqualTo(0);
    assertThat(plan.classes())
        .filteredOn(c -> c.matches("io\\.spinclean\\.cli\\.[A-Za-z]+Command"))
        .containsExactly("io.spinclean.cli.PlanCommand");
  }

  /**
   * Fails until the read path streams into core records (issue 11, item 1): DumpParser reads the
   * file through a fabric8 KubernetesSerialization into fabric8 model objects.
   */
  @Test
  void planFromAFileLoadsNoKubernetesModelNorClientClass() throws Exception {
    Child plan = run(Map.of(), "io.spinclean.cli.Main", "plan", "-f", ArticleServer.FILE);
    assertThat(plan.code()).as(plan.output()).isEqualTo(0);
    assertThat(plan.classes())
        .filteredOn(
            c ->
                c.startsWith("io.fabric8.kubernetes.api.model.")
                    || c.startsWith("io.fabric8.kubernetes.client."))
        .isEmpty();
  }

  @Test
  void livePlanLeavesNoHttpClientSelectorToHoldTheExit() throws Exception {
    Child plan =
        run(Map.of(), ExitProbe.class.getName(), "plan", "--kubeconfig", article.kubeconfig());
    assertThat(plan.code()).as(plan.output()).isEqualTo(0);
    assertThat(plan.output()).contains("4 to delete").contains(ExitProbe.MARK + "[]");
  }

  /** What only a connection to an API server needs. */
  private static boolean networkOnly(String name) {
    return name.startsWith("io.spinclean.kube.KubeConnection")
        || name.startsWith("io.fabric8.kubernetes.client.KubernetesClientBuilder")
        || name.startsWith("io.fabric8.kubernetes.client.impl.")
        || name.startsWith("io.fabric8.kubernetes.client.Config")
        || name.startsWith("io.fabric8.kubernetes.client.http.")
        || name.startsWith("io.fabric8.kubernetes.client.jdkhttp.")
        || name.startsWith("java.net.http.")
        || name.startsWith("sun.security.ssl.TrustStoreManager")
        || name.startsWith("sun.security.rsa.RSAKeyFactory")
        || name.startsWith("sun.security.ec.ECKeyFactory")
        || name.equals("javax.net.ssl.TrustManagerFactory");
  }

  private record Child(int code, String output, List<String> classes) {}

  private Child run(Map<String, String> env, String main, String... args)
      throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                main));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("SPINCLEAN_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    List<String> classes = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = LOADED.matcher(line);
      if (m.find()) {
        classes.add(m.group(1));
      }
    }
    return new Child(process.exitValue(), new String(out, StandardCharsets.UTF_8), classes);
  }
}
