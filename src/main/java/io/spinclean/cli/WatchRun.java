package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.apply.BackupHeader;
import io.spinclean.kube.watch.EventRecorder;
import io.spinclean.kube.watch.LeaseElection;
import io.spinclean.kube.watch.LogBackup;
import io.spinclean.kube.watch.Watcher;
import io.spinclean.watch.AsyncReporter;
import io.spinclean.watch.EventReporter;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.LogReporter;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.MetricsServer;
import io.spinclean.watch.RateLimiter;
import io.spinclean.watch.Reporter;
import io.spinclean.watch.WatchSettings;
import io.spinclean.watch.WebhookNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run of {@code spinclean watch} once its command line is checked: puts the controller's parts
 * together (Lease, reporters, watcher, metrics server), runs until SIGTERM, a lost Lease or {@code
 * --exit-after}, and stops them in order.
 */
final class WatchRun {
  private final WatchCommand command;
  private final KubeConnection conn;
  private final LogReporter log;
  private final Metrics metrics = new Metrics();
  private final CountDownLatch lostLease = new CountDownLatch(1);

  WatchRun(WatchCommand command, KubeConnection conn, LogReporter log) {
    this.command = command;
    this.conn = conn;
    this.log = log;
  }

  int run(Scope scope, WatchSettings settings) throws ApiException, InterruptedException {
    boolean elect =
        command.leaderElect != null
            ? command.leaderElect
            : System.getenv("KUBERNETES_SERVICE_HOST") != null;
    LeaseElection election = elect ? elect() : null;
    Leadership leadership = election == null ? Leadership.alone() : election;
    if (election == null) {
      metrics.leader(true);
    }
    AsyncReporter events = events(settings);
    List<Reporter> reporters = new ArrayList<>(List.of(log, events));
    AsyncReporter webhook = null;
    if (command.notifyWebhook != null) {
      webhook =
          new AsyncReporter(
              "webhook",
              new WebhookNotifier(command.notifyWebhook, Duration.ofSeconds(1), log::error),
              d ->
                  log.error(
                      "too many notifications waiting: dropped the one about " + d.plan().key()));
      reporters.add(webhook);
    }
    List<AsyncReporter> async = webhook == null ? List.of(events) : List.of(events, webhook);
    Watcher watcher;
    try {
      watcher =
          Watcher.start(
              conn,
              scope,
              settings,
              command.root.clock,
              metrics,
              Reporter.all(reporters),
              leadership,
              e -> log.error("internal error while evaluating a cluster: " + e),
              log::error,
              backups());
    } catch (ApiException e) {
      async.forEach(a -> a.stop(Duration.ZERO));
      if (election != null) {
        election.close();
      }
      throw e;
    }
    MetricsServer server = null;
    if (command.metrics.enabled()) {
      try {
        server = MetricsServer.start(command.metrics.address(), metrics, watcher::watching);
      } catch (IOException e) {
        watcher.stop(Duration.ZERO);
        async.forEach(a -> a.stop(Duration.ZERO));
        if (election != null) {
          election.close();
        }
        command.root.err.println(
            "spinclean: cannot serve metrics on "
                + command.metrics.where(command.metrics.port)
                + " ("
                + e.getMessage()
                + ")");
        return ExitCode.COULD_NOT_RUN;
      }
    }
    log.info(started(scope, settings, elect, server));
    return awaitStop(new WatchShutdown(watcher, async, election, server, log));
  }

  /** Starts campaigning for the Lease; losing it stops this run (exit 1). */
  private LeaseElection elect() throws ApiException {
    String ns = command.leaseNamespace != null ? command.leaseNamespace : conn.defaultNamespace();
    String lease = command.leaseName;
    String identity = identity();
    return LeaseElection.start(
        conn,
        ns,
        lease,
        identity,
        LeaseElection.DEFAULT_TIMING,
        leads -> {
          metrics.leader(leads);
          log.info(
              (leads ? "started" : "stopped")
                  + " leading: Lease "
                  + ns
                  + "/"
                  + lease
                  + " as "
                  + identity);
          if (!leads) {
            // fabric8's elector does not campaign again: stop, and let the Deployment restart
            // this pod as a stand-by (as client-go's controllers do)
            lostLease.countDown();
          }
        });
  }

  /** Events go through their own thread: a slow API server must not hold the controller. */
  private AsyncReporter events(WatchSettings settings) {
    EventRecorder recorder = EventRecorder.create(conn, command.root.clock);
    RateLimiter eventRate = new RateLimiter(command.eventsPerSecond);
    return new AsyncReporter(
        "events",
        new EventReporter(
            (ns, rs, uid, warning, reason, message) -> {
              Watcher.acquire(eventRate);
              recorder.record(ns, rs, uid, warning, reason, message);
            },
            command.root.clock,
            settings.settle(),
            log::error),
        d -> log.error("too many Events waiting: dropped the one about " + d.plan().key()));
  }

  /** {@code --backup}: the log ({@code -}), a directory (a file per batch) or off. */
  private Function<String, Backup> backups() {
    String line =
        "spinclean " + String.join(" ", command.spec.commandLine().getParseResult().originalArgs());
    return ns ->
        switch (command.backupTo) {
          case "-" -> new LogBackup(log);
          case "off" -> Backup.off();
          default ->
              Backup.toDirectory(
                  Path.of(command.backupTo),
                  new BackupHeader(
                      command.root.clock.instant(),
                      conn.credentials(),
                      conn.server(),
                      List.of(ns),
                      line));
        };
  }

  private String started(Scope scope, WatchSettings settings, boolean elect, MetricsServer server) {
    return "watching "
        + (scope.allNamespaces()
            ? "all namespaces"
            : "namespace " + String.join(", ", scope.namespaces()))
        + ": settle "
        + GoDuration.format(settings.settle())
        + ", "
        + settings.confirmations()
        + " confirmations"
        + (settings.dryRun() ? ", dry run (nothing is deleted)" : "")
        + ", at most "
        + rate(command.actionsPerSecond)
        + " actions/s and "
        + rate(command.eventsPerSecond)
        + " Events/s"
        + (elect ? ", leader election on" : "")
        + (server != null ? ", metrics on " + command.metrics.where(server.port()) : "");
  }

  /**
   * Waits until the SIGTERM hook has stopped everything, the Lease is lost, or {@code
   * --exit-after}; a lost Lease exits 1 so that the restart is visible.
   */
  private int awaitStop(WatchShutdown shutdown) throws InterruptedException {
    Thread hook = new Thread(shutdown::stop, "spinclean-watch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Duration exitAfter = command.exitAfter;
    long start = System.nanoTime();
    while (shutdown.stopped.getCount() > 0
        && lostLease.getCount() > 0
        && (exitAfter == null || System.nanoTime() - start < exitAfter.toNanos())) {
      shutdown.stopped.await(50, TimeUnit.MILLISECONDS);
    }
    boolean lost = lostLease.getCount() == 0 && !shutdown.stopping;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: it stops everything
    }
    shutdown.stop();
    if (lost) {
      command.root.err.println(
          "spinclean: lost the Lease "
              + command.leaseName
              + ": stopped; restart to campaign"
              + " again");
      return ExitCode.COULD_NOT_RUN;
    }
    return ExitCode.OK;
  }

  /** 2.0 -> "2", 0.5 -> "0.5". */
  private static String rate(double perSecond) {
    return java.math.BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString();
  }

  /** The pod name inside Kubernetes (HOSTNAME), else the host name, plus a random suffix. */
  private static String identity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "spinclean";
      }
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
