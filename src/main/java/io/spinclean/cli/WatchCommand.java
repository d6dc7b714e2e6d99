package io.spinclean.cli;

import io.spinclean.core.Policy;
import io.spinclean.kube.ApiException;
import io.spinclean.kube.Backup;
import io.spinclean.kube.BackupHeader;
import io.spinclean.kube.EventRecorder;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.LeaseElection;
import io.spinclean.kube.Scope;
import io.spinclean.watch.AsyncReporter;
import io.spinclean.watch.EventReporter;
import io.spinclean.watch.Leadership;
import io.spinclean.watch.LogBackup;
import io.spinclean.watch.LogReporter;
import io.spinclean.watch.Metrics;
import io.spinclean.watch.MetricsServer;
import io.spinclean.watch.RateLimiter;
import io.spinclean.watch.Reporter;
import io.spinclean.watch.WatchSettings;
import io.spinclean.watch.Watcher;
import io.spinclean.watch.WebhookNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code spinclean watch}: the controller. Runs until SIGTERM (or {@code --exit-after}); acts on a
 * cluster only after it settled and the same deletions were planned on consecutive evaluations.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Run as a controller: watch ReplicaSets, Pods and Services, re-plan a Spinnaker cluster when"
          + " its objects change, and once it has been unchanged for --settle and the same"
          + " deletions were planned --confirmations times in a row, delete them as `apply`"
          + " does (fresh read, re-plan, preconditions). Every deletion and refusal is logged and"
          + " recorded as an Event on its ReplicaSet. Runs until SIGTERM."
    },
    footer = {
      "",
      "--min-age defaults to "
          + WatchCommand.DEFAULT_MIN_AGE
          + " here, not 0: longer than Spinnaker's \"Wait For Manifest Stable\" (30 minutes by"
          + " default), during which a new version looks exactly like a failed one.",
      "",
      "Examples:",
      "  spinclean watch -A --dry-run",
      "  spinclean watch -n prod --settle 10m --max-deletions-per-hour 20",
      "",
      "Exit codes: 143 (SIGTERM) after a clean stop, as for any JVM; 1 could not run (API, auth,"
          + " metrics port) or lost the Lease; 2 usage error."
    })
final class WatchCommand implements Callable<Integer> {
  /** Less than Kubernetes' default terminationGracePeriodSeconds (30 s). */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  /**
   * watch's --min-age when none is given: a version newer than the keeper may still be in
   * Spinnaker's "Wait For Manifest Stable", which looks exactly like a failed deploy and gives up
   * after 30 minutes by default (orca's WaitForManifestStableTask#getTimeout). Its clock starts
   * after the ReplicaSet was created (deploy and monitor tasks first) and a stage may be paused, so
   * twice that: a failed version waits an hour longer to be cleaned, a live one is never hit.
   */
  static final String DEFAULT_MIN_AGE = "1h";

  @ParentCommand Spinclean root;

  @Mixin SelectionOptions selection;
  @Mixin PolicyOptions policyOptions;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--settle",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = GoDuration.UpToADay.class,
      description =
          "Act on a cluster only after none of its objects changed for this long"
              + " (default: ${DEFAULT-VALUE}; at most 1d).")
  Duration settle;

  @Option(
      names = "--confirmations",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "... and after N settled evaluations in a row planned the same deletions"
              + " (default: ${DEFAULT-VALUE}).")
  int confirmations;

  @Option(names = "--dry-run", description = "Plan and report (log, metrics), never delete.")
  boolean dryRun;

  @Option(
      names = "--backup",
      paramLabel = "DIR|-|off",
      defaultValue = "-",
      description =
          BackupOption.DESCRIPTION
              + " Default: - (each deletion's manifest in the log, before its delete: works on a"
              + " read-only root filesystem); with DIR, one file per batch.")
  String backupTo;

  @Option(
      names = "--leader-elect",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description = "Act only while holding a Lease (default: true inside a pod, else false).")
  Boolean leaderElect;

  @Option(
      names = "--lease-name",
      paramLabel = "NAME",
      defaultValue = "spinclean",
      description = "The Lease to hold (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      paramLabel = "NAMESPACE",
      description = "Where the Lease is (default: the context's or the pod's namespace).")
  String leaseNamespace;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9090",
      description =
          "Serve /metrics, /healthz and /readyz on this port; 0 = off (default:"
              + " ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-bind-address",
      paramLabel = "ADDRESS",
      description =
          "Serve /metrics, /healthz and /readyz on this IP address only, e.g. 127.0.0.1"
              + " (default: every interface, IPv4"
              + " and IPv6, which a pod needs: the kubelet's probes and Prometheus come from"
              + " outside it; deploy/controller/networkpolicy limits who may connect).")
  String metricsBindAddress;

  @Option(
      names = "--max-deletions-per-hour",
      paramLabel = "N",
      description =
          "Refuse a cluster whose deletions would make more than N in the last hour"
              + " (default: no cap).")
  Integer maxDeletionsPerHour;

  @Option(
      names = "--actions-per-second",
      paramLabel = "RATE",
      defaultValue = "2",
      description =
          "At most this many actions a second; an action is one fresh read (three"
              + " lists) and the deletes of one cluster (default: ${DEFAULT-VALUE}).")
  double actionsPerSecond;

  @Option(
      names = "--events-per-second",
      paramLabel = "RATE",
      defaultValue = "5",
      description =
          "At most this many Kubernetes Events created a second; more wait (the"
              + " decisions of up to 100 clusters), the rest are dropped with a log line (default:"
              + " ${DEFAULT-VALUE}).")
  double eventsPerSecond;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json: one line per event, naming cluster and version.")
  LogReporter.Format logFormat;

  @Option(
      names = "--notify-webhook",
      paramLabel = "URL",
      converter = WebhookUrl.class,
      description =
          "POST a JSON summary (Slack-compatible \"text\") for every deletion, dry-run"
              + " deletion and refusal; at most 3 attempts of 5 s, never holding up the"
              + " cleaning. https, or http to a loopback address only. The URL is a secret:"
              + " prefer SPINCLEAN_NOTIFY_WEBHOOK from a Secret; it is shown as scheme://host/….")
  URI notifyWebhook;

  /** Never echoes the value: a Slack webhook URL is a secret. */
  static final class WebhookUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        return new URI(value.strip());
      } catch (URISyntaxException e) {
        throw new TypeConversionException(
            "not a URL (" + e.getReason() + "; the value is not shown: it may be a secret)");
      }
    }
  }

  /** Stops after this long, as SIGTERM would: for tests and time-boxed runs. */
  @Option(
      names = "--exit-after",
      paramLabel = "DURATION",
      hidden = true,
      converter = GoDuration.class)
  Duration exitAfter;

  @Spec CommandSpec spec;

  /** {@code --metrics-bind-address} and {@code --metrics-port}, checked. */
  private InetSocketAddress metricsAddress;

  @Override
  public Integer call() throws InterruptedException {
    if (confirmations < 1) {
      throw new ParameterException(
          spec.commandLine(), "--confirmations must be 1 or more, not " + confirmations);
    }
    if (maxDeletionsPerHour != null && maxDeletionsPerHour < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-deletions-per-hour must be 0 or more, not " + maxDeletionsPerHour);
    }
    for (var rate :
        List.of(
            Map.entry("--actions-per-second", actionsPerSecond),
            Map.entry("--events-per-second", eventsPerSecond))) {
      if (!(rate.getValue() > 0) || rate.getValue().isInfinite()) {
        throw new ParameterException(
            spec.commandLine(),
            rate.getKey() + " must be a number above 0, not " + rate.getValue());
      }
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--metrics-port must be between 0 and 65535, not " + metricsPort);
    }
    if (notifyWebhook != null) {
      Optional<String> problem = WebhookNotifier.problem(notifyWebhook);
      if (problem.isPresent()) {
        throw new ParameterException(spec.commandLine(), "--notify-webhook " + problem.get());
      }
    }
    metricsAddress = metricsAddress();
    LogReporter log = new LogReporter(root.out, root.clock, logFormat);
    try (KubeConnection conn = KubeConnection.open(connection.kubeconfig, connection.context)) {
      Scope scope = selection.scope(conn.defaultNamespace());
      Policy policy = policyOptions.toPolicy(Set.copyOf(scope.namespaces()), selection);
      if (!given("--min-age")) {
        policy = policy.withMinAge(GoDuration.parse(DEFAULT_MIN_AGE));
      }
      WatchSettings settings =
          new WatchSettings(
              policy,
              settle,
              confirmations,
              dryRun,
              maxDeletionsPerHour == null
                  ? OptionalInt.empty()
                  : OptionalInt.of(maxDeletionsPerHour),
              WatchSettings.defaultTick(settle),
              actionsPerSecond);
      return run(conn, scope, settings, log);
    } catch (ApiException e) {
      root.err.println("spinclean: " + e.getMessage());
      return ExitCode.COULD_NOT_RUN;
    }
  }

  /** {@code --backup}: the log ({@code -}), a directory (a file per batch) or off. */
  private Function<String, Backup> backups(KubeConnection conn, LogReporter log) {
    String command =
        "spinclean " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    return ns ->
        switch (backupTo) {
          case "-" -> new LogBackup(log);
          case "off" -> Backup.off();
          default ->
              Backup.toDirectory(
                  Path.of(backupTo),
                  new BackupHeader(
                      root.clock.instant(),
                      conn.credentials(),
                      conn.server(),
                      List.of(ns),
                      command));
        };
  }

  private int run(KubeConnection conn, Scope scope, WatchSettings settings, LogReporter log)
      throws ApiException, InterruptedException {
    Metrics metrics = new Metrics();
    CountDownLatch lostLease = new CountDownLatch(1);
    boolean elect =
        leaderElect != null ? leaderElect : System.getenv("KUBERNETES_SERVICE_HOST") != null;
    LeaseElection election = null;
    Leadership leadership = Leadership.alone();
    if (elect) {
      String ns = leaseNamespace != null ? leaseNamespace : conn.defaultNamespace();
      String identity = identity();
      election =
          LeaseElection.start(
              conn,
              ns,
              leaseName,
              identity,
              LeaseElection.DEFAULT_TIMING,
              leads -> {
                metrics.leader(leads);
                log.info(
                    (leads ? "started" : "stopped")
                        + " leading: Lease "
                        + ns
                        + "/"
                        + leaseName
                        + " as "
                        + identity);
                if (!leads) {
                  // fabric8's elector does not campaign again: stop, and let the Deployment restart
                  // this pod as a stand-by (as client-go's controllers do)
                  lostLease.countDown();
                }
              });
      leadership = Leadership.of(election);
    } else {
      metrics.leader(true);
    }
    // Events go through their own thread: a slow API server must not hold the controller.
    EventRecorder recorder = EventRecorder.create(conn, root.clock);
    RateLimiter eventRate = new RateLimiter(eventsPerSecond);
    AsyncReporter events =
        new AsyncReporter(
            "events",
            new EventReporter(
                (ns, rs, uid, warning, reason, message) -> {
                  Watcher.acquire(eventRate);
                  recorder.record(ns, rs, uid, warning, reason, message);
                },
                root.clock,
                settings.settle(),
                log::error),
            d -> log.error("too many Events waiting: dropped the one about " + d.plan().key()));
    List<Reporter> reporters = new ArrayList<>(List.of(log, events));
    AsyncReporter webhook = null;
    if (notifyWebhook != null) {
      webhook =
          new AsyncReporter(
              "webhook",
              new WebhookNotifier(notifyWebhook, Duration.ofSeconds(1), log::error),
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
              root.clock,
              metrics,
              Reporter.all(reporters),
              leadership,
              e -> log.error("internal error while evaluating a cluster: " + e),
              log::error,
              backups(conn, log));
    } catch (ApiException e) {
      async.forEach(a -> a.stop(Duration.ZERO));
      if (election != null) {
        election.close();
      }
      throw e;
    }
    MetricsServer server = null;
    if (metricsPort != 0) {
      try {
        server = MetricsServer.start(metricsAddress, metrics, watcher::watching);
      } catch (IOException e) {
        watcher.stop(Duration.ZERO);
        async.forEach(a -> a.stop(Duration.ZERO));
        if (election != null) {
          election.close();
        }
        root.err.println(
            "spinclean: cannot serve metrics on "
                + metricsWhere(metricsPort)
                + " ("
                + e.getMessage()
                + ")");
        return ExitCode.COULD_NOT_RUN;
      }
    }
    log.info(
        "watching "
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
            + rate(actionsPerSecond)
            + " actions/s and "
            + rate(eventsPerSecond)
            + " Events/s"
            + (elect ? ", leader election on" : "")
            + (server != null ? ", metrics on " + metricsWhere(server.port()) : ""));
    WatchShutdown shutdown = new WatchShutdown(watcher, async, election, server, log);
    Thread hook = new Thread(shutdown::stop, "spinclean-watch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    // Wakes up when the hook has stopped everything, when the Lease is lost, or after
    // --exit-after; a lost Lease exits 1 so that the restart is visible.
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
      root.err.println(
          "spinclean: lost the Lease " + leaseName + ": stopped; restart to campaign" + " again");
      return ExitCode.COULD_NOT_RUN;
    }
    return ExitCode.OK;
  }

  private InetSocketAddress metricsAddress() {
    if (metricsBindAddress == null) {
      return new InetSocketAddress(metricsPort);
    }
    String address = metricsBindAddress.strip();
    try {
      if (!address.isEmpty()) {
        return new InetSocketAddress(InetAddress.getAllByName(address)[0], metricsPort);
      }
    } catch (UnknownHostException e) {
      // a usage error, below
    }
    throw new ParameterException(
        spec.commandLine(),
        "--metrics-bind-address must be an IP address, not \"" + metricsBindAddress + "\"");
  }

  /** "port 9090" on every interface, else "127.0.0.1 port 9090". */
  private String metricsWhere(int port) {
    return (metricsBindAddress == null ? "" : metricsAddress.getAddress().getHostAddress() + " ")
        + "port "
        + port;
  }

  /** Whether {@code option} was set on the command line or by its environment variable. */
  private boolean given(String option) {
    OptionSpec o = spec.findOption(option);
    IDefaultValueProvider env = spec.defaultValueProvider();
    try {
      return spec.commandLine().getParseResult().hasMatchedOption(o)
          || (env != null && env.defaultValue(o) != null);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the default of " + option, e);
    }
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
