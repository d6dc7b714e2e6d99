package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.podPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever goes wrong after the first write, apply returns a report with an outcome for every
 * deletion (issue 10, item 7: {@code apply --application workers --drain 1000000000000d} deleted
 * one version, drained another, then printed "internal error" and no outcomes). The article's plan
 * deletes, in order: stream-consumer-v003, webapp-v002, workers-v005, workers-v006.
 */
class ExecutorUnexpectedTest {
  /** What {@code --drain 1000000000000d} parsed to: beyond what an Instant can add. */
  private static final Duration HUGE = Duration.ofDays(1_000_000_000_000L);

  private ApplyFixture fx;
  private Plan shown;

  @BeforeEach
  void start() throws Exception {
    fx = new ApplyFixture();
    shown = fx.article();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void aDrainLongerThanTheClockCanCountDrainsAndDeletes() throws Exception {
    ApplyReport report = fx.executor(ApplyOptions.DEFAULT.withDrain(HUGE)).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome, DeletionResult::drained)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED, true),
            tuple("webapp-v002", Outcome.DELETED, true),
            tuple("workers-v005", Outcome.DELETED, false),
            tuple("workers-v006", Outcome.DELETED, true));
    assertThat(fx.replicaSetNames())
        .containsExactly("stream-consumer-v004", "webapp-v001", "workers-v007");
  }

  @Test
  void aWaitLongerThanTheClockCanCountWaits() throws Exception {
    ApplyReport report = fx.executor(ApplyOptions.DEFAULT.withWait(HUGE)).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(report.remaining()).isEmpty();
  }

  /** The shape: workers-v005 deleted, workers-v006 drained, then an unexpected error. */
  @Test
  void anUnexpectedErrorWhileDrainingFailsThatVersionAndKeepsWhatWasDone() throws Exception {
    // workers-v006-g2w9q keeps its traffic label (a concurrent Enable), so the drain polls and
    // sleeps; the first sleep breaks with an error nobody planned for.
    fx.server
        .expect()
        .patch()
        .withPath(podPath("workers-v006-g2w9q"))
        .andReturn(200, "{}")
        .always();
    fx.sleeper.meanwhile(
        n -> {
          throw new IllegalStateException("the clock broke");
        });

    ApplyReport report =
        fx.executor(ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(30))).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome, DeletionResult::drained)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED, true),
            tuple("webapp-v002", Outcome.DELETED, true),
            tuple("workers-v005", Outcome.DELETED, false),
            tuple("workers-v006", Outcome.FAILED, false));
    assertThat(report.results().get(3).detail())
        .isEqualTo(
            "unexpected error (IllegalStateException: the clock broke): not deleted, it may be"
                + " partly drained");
    assertThat(fx.replicaSetNames())
        .containsExactly("stream-consumer-v004", "webapp-v001", "workers-v006", "workers-v007");
  }

  /** After an unexpected error, nothing more is written: the rest is NOT_ATTEMPTED. */
  @Test
  void anUnexpectedErrorStopsTheRun() throws Exception {
    fx.server
        .expect()
        .patch()
        .withPath(podPath("stream-consumer-v003-h5v9b"))
        .andReturn(200, "{}")
        .always();
    fx.sleeper.meanwhile(
        n -> {
          throw new IllegalStateException("the clock broke");
        });

    ApplyReport report =
        fx.executor(ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(30))).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(report.results().get(1).detail())
        .isEqualTo("not attempted: stopped after example/stream-consumer-v003 failed");
    assertThat(fx.replicaSetNames()).hasSize(7);
  }

  @Test
  void anUnexpectedErrorWhileWaitingKeepsTheDeletions() throws Exception {
    // A finalizer holds workers-v006 after its delete, so --wait polls and sleeps.
    SnapshotSource fresh =
        fx.changeThenRead(
            () ->
                fx.admin
                    .apps()
                    .replicaSets()
                    .inNamespace(ApplyFixture.NS)
                    .withName("workers-v006")
                    .edit(
                        rs -> {
                          rs.getMetadata().getFinalizers().add("example.com/hold");
                          return rs;
                        }));
    fx.sleeper.meanwhile(
        n -> {
          throw new IllegalStateException("the clock broke");
        });

    ApplyReport report =
        fx.executor(fresh, ApplyOptions.DEFAULT.withWait(Duration.ofSeconds(10))).execute(shown);

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    assertThat(report.remaining())
        .containsExactly(
            "example/stream-consumer-v003",
            "example/webapp-v002",
            "example/workers-v005",
            "example/workers-v006");
    assertThat(report.results())
        .extracting(DeletionResult::detail)
        .containsOnly(
            "--wait could not confirm it is gone: unexpected error (IllegalStateException: the"
                + " clock broke)");
    assertThat(List.copyOf(fx.replicaSetNames())).contains("workers-v006");
  }
}
