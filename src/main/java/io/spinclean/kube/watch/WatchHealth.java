package io.spinclean.kube.watch;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Whether the informers of a namespace are watching, polled every {@link #POLL} (fabric8 8.0.0
 * tells no one when a watch drops and reconnects; {@code isWatching} is false from the drop until a
 * new watch is open). An informer that is not watching holds a frozen cache: its namespace's
 * clusters look settled however much they change.
 *
 * <p>Invariants: {@link #watchingSince} is empty while any informer of the namespace is not
 * watching, else the instant they were all seen watching again; {@link #outageEnd} is the instant
 * they were all watching again after an interruption of at least {@link #OUTAGE} (or since the
 * start), after which every cluster of the namespace must settle again.
 */
final class WatchHealth implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(50);

  /**
   * Shorter interruptions are the watch renewals every informer makes (fabric8 ends each watch
   * after 5-10 minutes and opens the next one from the last resourceVersion after its 1 s reconnect
   * interval): the server then sends what changed meanwhile, as events. A watch that took longer to
   * come back failed at least once (the next attempt is 2 s later): an outage.
   */
  static final Duration OUTAGE = Duration.ofSeconds(3);

  private final Clock clock;
  private final Consumer<String> log;
  private final Map<String, Group> groups = new HashMap<>();
  private final ScheduledExecutorService poller;

  /** Kept so that it is not a fire-and-forget future. */
  private final ScheduledFuture<?> polling;

  /** The informers of one namespace ({@code null}: of all namespaces, with {@code -A}). */
  private static final class Group {
    final String where;
    final List<SharedIndexInformer<?>> informers;
    Instant since;
    Instant down;
    Instant outageEnd;
    boolean reported;

    Group(String where, List<SharedIndexInformer<?>> informers, Instant now) {
      this.where = where;
      this.informers = informers;
      this.since = now;
      this.outageEnd = now;
    }
  }

  /**
   * @param informers by namespace, {@code null} for the cluster-wide ones; all started and watching
   * @param log told when the informers of a namespace stop watching for longer than an outage, and
   *     when they are back
   */
  WatchHealth(
      Map<String, List<SharedIndexInformer<?>>> informers, Clock clock, Consumer<String> log) {
    this.clock = clock;
    this.log = log;
    Instant now = clock.instant();
    informers.forEach(
        (ns, list) ->
            groups.put(
                ns,
                new Group(
                    ns == null ? "in all namespaces" : "in namespace " + ns,
                    List.copyOf(list),
                    now)));
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spinclean-watch-health");
              t.setDaemon(true);
              return t;
            });
    long millis = POLL.toMillis();
    this.polling = poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Since when every informer of {@code namespace} has been watching; empty while one is not. */
  synchronized Optional<Instant> watchingSince(String namespace) {
    Group g = group(namespace);
    check(g, clock.instant());
    return Optional.ofNullable(g.since);
  }

  /** When the informers of {@code namespace} were back after their last outage (or started). */
  synchronized Instant outageEnd(String namespace) {
    Group g = group(namespace);
    check(g, clock.instant());
    return g.outageEnd;
  }

  private Group group(String namespace) {
    Group g = groups.get(namespace);
    return g != null ? g : groups.get(null);
  }

  private synchronized void poll() {
    // An exception escaping here would end the polling silently: report it instead.
    try {
      Instant now = clock.instant();
      groups.values().forEach(g -> check(g, now));
    } catch (RuntimeException e) {
      log.accept("internal error while checking the watches: " + e);
    }
  }

  private void check(Group g, Instant now) {
    boolean watching = g.informers.stream().allMatch(SharedIndexInformer::isWatching);
    if (!watching) {
      if (g.since != null) {
        g.since = null;
        g.down = now;
      }
      if (!g.reported && Duration.between(g.down, now).compareTo(OUTAGE) >= 0) {
        g.reported = true;
        log.accept(
            "not watching "
                + g.where
                + " for "
                + Duration.between(g.down, now).toSeconds()
                + "s (API server unreachable or failing): nothing is confirmed or deleted there"
                + " until the watches are back and its clusters settled again");
      }
    } else if (g.since == null) {
      g.since = now;
      Duration gap = Duration.between(g.down, now);
      if (gap.compareTo(OUTAGE) >= 0) {
        g.outageEnd = now;
        log.accept(
            "watching "
                + g.where
                + " again after "
                + gap.toSeconds()
                + "s: every cluster there must settle again before it is acted on");
      }
      g.reported = false;
      g.down = null;
    }
  }

  @Override
  public void close() {
    polling.cancel(false);
    poller.shutdownNow();
  }
}
