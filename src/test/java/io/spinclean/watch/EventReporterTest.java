package io.spinclean.watch;

import static io.spinclean.watch.Worlds.WEBAPP;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ApiException;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Event volume and the reporters that must never hold the controller. */
class EventReporterTest {
  static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
  final MutableClock clock = new MutableClock(T0);

  static ClusterPlan failedDeploy() {
    return new Planner(Policy.DEFAULT)
        .plan(
            new Worlds()
                .version(1, T0, Duration.ofDays(2), 2, 0)
                .version(2, T0, Duration.ofHours(1), 0, 2)
                .at(T0))
        .clusters()
        .get(0);
  }

  static Decision wouldDelete() {
    return new Decision(Decision.Kind.WOULD_DELETE, failedDeploy(), Optional.empty(), "x");
  }

  @Test
  void atMostOneDecisionPerClusterPerPeriodAndAFailureIsReportedNotThrown() {
    List<String> events = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    EventReporter reporter =
        new EventReporter(
            (ns, rs, uid, warning, reason, message) -> {
              if (events.size() == 2) {
                throw new ApiException("forbidden");
              }
              events.add(ns + "/" + rs + " " + uid + " " + warning + " " + reason);
            },
            clock,
            Duration.ofMinutes(5),
            errors::add);

    reporter.report(wouldDelete());
    clock.advance(Duration.ofMinutes(4));
    reporter.report(wouldDelete());
    assertThat(events).containsExactly("prod/webapp-v002 uid-webapp-v002 false WouldDelete");

    clock.advance(Duration.ofMinutes(1));
    reporter.report(wouldDelete());
    reporter.report(new Decision(Decision.Kind.REFUSED, failedDeploy(), Optional.empty(), "x"));
    clock.advance(Duration.ofMinutes(5));
    reporter.report(wouldDelete()); // the sink fails now
    assertThat(events).hasSize(2);
    assertThat(errors).containsExactly("cannot record an Event on prod/webapp-v002: forbidden");
    assertThat(WEBAPP).isEqualTo(failedDeploy().key());
  }

  @Test
  void anAsyncReporterNeverBlocksAndDropsWhatDoesNotFit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Decision> dropped = new ArrayList<>();
    try (AsyncReporter async =
        new AsyncReporter(
            "test",
            d -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            dropped::add)) {
      for (int i = 0; i < AsyncReporter.CAPACITY + 5; i++) {
        async.report(wouldDelete()); // returns at once although the delegate hangs
      }
      // one running, CAPACITY queued
      assertThat(dropped).hasSize(4);
      release.countDown();
    }
  }

  @Test
  void anEventMessageShowsForgedControlsEscaped() {
    List<String> messages = new ArrayList<>();
    EventReporter reporter =
        new EventReporter(
            (ns, rs, uid, warning, reason, message) -> messages.add(rs + " " + message),
            clock,
            Duration.ofMinutes(5),
            m -> {});
    ClusterPlan plan = Forged.refused();
    reporter.report(Forged.decision(Decision.Kind.REFUSED, plan, "x"));
    assertThat(messages)
        .containsExactly(
            "webapp-v002 spinclean refuses to clean prod/web\\u202eppa/<!channel>"
                + " <http://evil.example|details> & <@U123> \\u001b[31mred"
                + " (MALFORMED_ANNOTATION): webapp-v002: traffic.spinnaker.io/load-balancers is"
                + " not a JSON list of strings: x\\r\\u001b[2K2026-11-26T08:00:00Z info"
                + " outcome=DELETED\\n\\u0085\\u009b2K\\u007f\\u2066\\u200f");
  }
}
