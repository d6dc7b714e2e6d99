package io.spinclean.cli;

import io.spinclean.kube.watch.LeaseElection;
import io.spinclean.kube.watch.Watcher;
import io.spinclean.watch.AsyncReporter;
import io.spinclean.watch.LogReporter;
import io.spinclean.watch.MetricsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Stops once, from the SIGTERM hook or after --exit-after, and says how it went. */
final class WatchShutdown {
  final CountDownLatch stopped = new CountDownLatch(1);
  private final Watcher watcher;
  private final List<AsyncReporter> async;
  private final LeaseElection election;
  private final MetricsServer server;
  private final LogReporter log;
  private boolean done;

  /** Set as soon as a stop begins: the Lease released by it is not a lost Lease. */
  volatile boolean stopping;

  WatchShutdown(
      Watcher watcher,
      List<AsyncReporter> async,
      LeaseElection election,
      MetricsServer server,
      LogReporter log) {
    this.watcher = watcher;
    this.async = async;
    this.election = election;
    this.server = server;
    this.log = log;
  }

  void stop() {
    stopping = true;
    stopOnce();
  }

  private synchronized void stopOnce() {
    if (done) {
      return;
    }
    done = true;
    // read after the grace: still set while that evaluation runs
    boolean finished = watcher.stop(WatchCommand.SHUTDOWN_GRACE);
    String left = watcher.inProgress().map(Object::toString).orElse("a cluster");
    async.forEach(a -> a.stop(Duration.ofSeconds(5)));
    // released after the last deletion: a stand-by takes over only once this one is done
    if (election != null) {
      election.close();
    }
    if (server != null) {
      server.close();
    }
    log.info(
        finished
            ? "stopped: no evaluation was left running"
            : "stopped: gave up after "
                + GoDuration.format(WatchCommand.SHUTDOWN_GRACE)
                + " waiting for the"
                + " API server to answer a request about "
                + left
                + "; its deletions logged above"
                + " are done, the one in flight may or may not be: run `spinclean plan` to see");
    stopped.countDown();
  }
}
