package io.spinclean.kube.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spinclean.kube.ArticleServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real SIGTERM (what Kubernetes sends when a Run Job is cancelled or a controller pod is
 * replaced) to a spinclean process that is deleting a batch: the delete in flight completes, the
 * next is never sent, and the output names every planned version.
 */
class SigtermTest {
  static final String RS = "/apis/apps/v1/namespaces/example/replicasets/";

  @RegisterExtension final ArticleServer article = new ArticleServer();

  @Test
  void applyReportsTheDeletionsItDidNotStartAndSendsNoMore() throws Exception {
    slowDelete("stream-consumer-v003"); // the first of the plan's four deletions
    Spawned p = spawn("apply", "--kubeconfig", article.kubeconfig());
    awaitDelete("stream-consumer-v003");
    sigterm(p.process);

    assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    String out = p.out();
    assertThat(p.process.exitValue()).as(out).isEqualTo(143);
    assertThat(out)
        .contains("not attempted: spinclean is stopping")
        .contains("webapp-v002")
        .contains("workers-v005")
        .contains("workers-v006");
    assertThat(article.exists("webapp-v002")).isTrue();
    assertThat(article.exists("workers-v005")).isTrue();
    assertThat(article.exists("workers-v006")).isTrue();
    assertThat(deletesAfterTheSlowOne()).isEmpty();
  }

  @Test
  void watchLogsTheDeletionsItDidNotStartAndStopsCleanly() throws Exception {
    slowDelete("workers-v005"); // workers plans workers-v005, then workers-v006
    Spawned p =
        spawn(
            "watch",
            "--kubeconfig",
            article.kubeconfig(),
            "--application",
            "workers",
            "--settle",
            "200ms",
            "--confirmations",
            "1",
            "--metrics-port",
            "0",
            "--leader-elect=false");
    awaitDelete("workers-v005");
    sigterm(p.process);

    assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    String out = p.out();
    assertThat(p.process.exitValue()).as(out).isEqualTo(143);
    assertThat(out)
        .containsPattern("workers-v005.*outcome=DELETED")
        .containsPattern("workers-v006.*outcome=NOT_ATTEMPTED")
        .contains("stopped: no evaluation was left running");
    assertThat(article.exists("workers-v006")).isTrue();
    assertThat(deletesAfterTheSlowOne()).isEmpty();
  }

  /**
   * SIGTERM through the process handle: {@link Process#destroy()} would also close the pipes, and
   * what the process prints while stopping would be lost.
   */
  private static void sigterm(Process process) {
    assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
  }

  /** Answers the DELETE of {@code name} after 2 s (as if it were deleted), once. */
  private void slowDelete(String name) {
    article
        .mock()
        .expect()
        .delete()
        .delay(2, TimeUnit.SECONDS)
        .withPath(RS + name)
        .andReturn(200, "{\"kind\":\"Status\",\"status\":\"Success\"}")
        .once();
  }

  private void awaitDelete(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      RecordedRequest r = article.mock().takeRequest(100, TimeUnit.MILLISECONDS);
      if (r != null && r.getMethod().equals("DELETE") && r.getPath().equals(RS + name)) {
        return;
      }
    }
    throw new AssertionError("no DELETE of " + name + " within 30 s");
  }

  private List<String> deletesAfterTheSlowOne() throws InterruptedException {
    List<String> deletes = new ArrayList<>();
    for (RecordedRequest r; (r = article.mock().takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
      if (r.getMethod().equals("DELETE")) {
        deletes.add(r.getPath());
      }
    }
    return deletes;
  }

  /** spinclean in its own JVM, on this test's class path, output collected in the background. */
  private record Spawned(Process process, ByteArrayOutputStream bytes, Thread reader) {
    String out() throws InterruptedException {
      reader.join(5000);
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static Spawned spawn(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.spinclean.cli.Main"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = process.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                  synchronized (bytes) {
                    bytes.write(buffer, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // the process is gone
              }
            },
            "spinclean-output");
    reader.start();
    return new Spawned(process, bytes, reader);
  }
}
