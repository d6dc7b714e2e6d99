package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.apply.ApplyOptions;
import io.spinclean.kube.apply.Executor;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import io.spinclean.kube.read.InputException;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.render.TableRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code spinclean demo}: the article's three failed deploys on an embedded API server (fabric8's
 * mock server in CRUD mode, on loopback), planned, applied and planned again. No cluster needed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded Kubernetes API server on 127.0.0.1, load the article's three failed"
          + " blue/green deploys (webapp, stream-consumer, workers in namespace example), print the"
          + " plan, apply it and print the state after. No cluster needed.",
      "With --keep-running the scenarios are left as they are and the server stays up, with a"
          + " kubeconfig to try plan, apply (and watch) by hand."
    },
    footer = {
      "",
      "Examples:",
      "  spinclean demo",
      "  spinclean demo --keep-running --port 8443",
      "",
      "Exit codes: as for apply; 1 also when the embedded server cannot start."
    })
final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "example";
  private static final String SCENARIOS = "/examples/article.json";

  @ParentCommand Spinclean root;

  @Option(
      names = "--keep-running",
      description = "Do not apply; leave the server up (until Ctrl-C) and print a kubeconfig path.")
  boolean keepRunning;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "Port of the embedded server on 127.0.0.1 (default: a free port).")
  int port;

  @Option(
      names = "--write-kubeconfig",
      paramLabel = "FILE",
      description = "Where --keep-running writes the kubeconfig (default: a new temporary file).")
  Path kubeconfig;

  @Override
  public Integer call() throws IOException, InterruptedException {
    EmbeddedApiServer server;
    try {
      server = EmbeddedApiServer.start(port);
    } catch (ApiException e) {
      root.err.println("spinclean: " + e.getMessage());
      return ExitCode.COULD_NOT_RUN;
    }
    try {
      load(server);
      root.out.println(
          "spinclean demo: an embedded Kubernetes API server on "
              + server.url()
              + " holds the article's three failed deploys in namespace "
              + NAMESPACE
              + ".");
      return keepRunning ? keepRunning(server) : cleanUp(server);
    } catch (ApiException | InputException e) {
      root.err.println("spinclean: " + e.getMessage());
      return ExitCode.COULD_NOT_RUN;
    } finally {
      if (!keepRunning) {
        server.close();
      }
    }
  }

  private static void load(EmbeddedApiServer server)
      throws IOException, InputException, ApiException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(SCENARIOS)) {
      if (in == null) {
        throw new IOException(SCENARIOS + " is missing from the jar");
      }
      server.load(in, "examples/article.json");
    }
  }

  private int cleanUp(EmbeddedApiServer server) throws ApiException {
    try (KubeConnection conn = server.connect(NAMESPACE)) {
      Planner planner = new Planner(Policy.DEFAULT.withNamespaces(Set.of(NAMESPACE)));
      SnapshotSource source = LiveReader.source(conn, Scope.of(NAMESPACE), root.clock);
      root.out.println();
      root.out.println("== 1. spinclean plan -n " + NAMESPACE);
      root.out.println();
      Plan shown = planner.plan(source.read());
      root.out.print(TableRenderer.render(shown));
      root.out.println();
      root.out.println("== 2. spinclean apply -n " + NAMESPACE);
      root.out.println();
      if (!shown.deletions().isEmpty()) {
        root.out.println(ApplyOutcomes.whereItWrites(conn, shown));
        root.out.println();
      }
      ApplyReport report =
          Executor.create(conn, source, planner, ApplyOptions.DEFAULT).execute(shown);
      root.out.print(TableRenderer.renderOutcomes(report));
      root.out.println();
      root.out.println("== 3. after: spinclean plan -n " + NAMESPACE);
      root.out.println();
      Plan after = planner.plan(source.read());
      root.out.print(TableRenderer.render(after));
      int code = ApplyOutcomes.exitCode(report);
      return after.deletions().isEmpty() ? code : Math.max(code, ExitCode.REFUSED);
    }
  }

  private int keepRunning(EmbeddedApiServer server)
      throws IOException, ApiException, InterruptedException {
    Path file =
        kubeconfig != null ? kubeconfig : Files.createTempFile("spinclean-demo-", ".kubeconfig");
    server.writeKubeconfig(file, NAMESPACE);
    try (KubeConnection conn = server.connect(NAMESPACE)) {
      Planner planner = new Planner(Policy.DEFAULT.withNamespaces(Set.of(NAMESPACE)));
      root.out.println();
      root.out.print(
          TableRenderer.render(
              planner.plan(LiveReader.snapshot(conn, Scope.of(NAMESPACE), root.clock))));
    }
    root.out.println();
    root.out.println("The server stays up until Ctrl-C. Its kubeconfig: " + file);
    root.out.println("Try:");
    root.out.println("  ./spinclean plan  --kubeconfig " + file);
    root.out.println("  ./spinclean apply --kubeconfig " + file + " --drain 10s --wait");
    root.out.println("  KUBECONFIG=" + file + " ./spinclean plan -o json");
    root.out.println(
        "As on Kubernetes, deleting a ReplicaSet deletes its pods, and a stale delete"
            + " precondition is refused (409).");
    root.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "spinclean-demo-stop"));
    stopped.await();
    return ExitCode.OK;
  }
}
