package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.watch.LogReporter;
import io.spinclean.watch.WatchSettings;
import io.spinclean.watch.WebhookNotifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
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
  @Mixin MetricsOptions metrics;

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
    metrics.checkPort();
    if (notifyWebhook != null) {
      Optional<String> problem = WebhookNotifier.problem(notifyWebhook);
      if (problem.isPresent()) {
        throw new ParameterException(spec.commandLine(), "--notify-webhook " + problem.get());
      }
    }
    metrics.address();
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
      return new WatchRun(this, conn, log).run(scope, settings);
    } catch (ApiException e) {
      root.err.println("spinclean: " + e.getMessage());
      return ExitCode.COULD_NOT_RUN;
    }
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
}
