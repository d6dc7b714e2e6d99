package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.rsPath;
import static io.spinclean.kube.apply.ApplyFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stop (SIGTERM in {@code watch}) during a batch of deletions: the request in flight ends without
 * retries, nothing more is written, and every deletion still gets a result. The article's plan
 * deletes, in order: stream-consumer-v003, webapp-v002, workers-v005, workers-v006.
 */
class ExecutorStopTest {
  private static final String FIRST = "stream-consumer-v003";
  private static final String STOPPED = "not attempted: spinclean is stopping";

  private ApplyFixture fx;
  private Plan shown;
  private final List<ApplyFixture.Call> writes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fx = new ApplyFixture();
    shown = fx.article();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private Executor executor(BooleanSupplier stopping) {
    return new Executor(
        fx.client, fx.reader(), fx.planner, ApplyOptions.DEFAULT, fx.sleeper, stopping);
  }

  /** Every DELETE so far (the fixture hands out each recorded request once). */
  private synchronized List<String> deleteAttempts() {
    writes.addAll(fx.writes());
    return writes.stream().filter(c -> c.method().equals("DELETE")).map(c -> c.path()).toList();
  }

  @Test
  void aStopAfterTheFirstDeleteLeavesTheRestNotAttemptedAndUntouched() throws Exception {
    ApplyReport report = executor(() -> !deleteAttempts().isEmpty()).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome, DeletionResult::detail)
        .containsExactly(
            tuple(FIRST, Outcome.DELETED, ""),
            tuple("webapp-v002", Outcome.NOT_ATTEMPTED, STOPPED),
            tuple("workers-v005", Outcome.NOT_ATTEMPTED, STOPPED),
            tuple("workers-v006", Outcome.NOT_ATTEMPTED, STOPPED));
    assertThat(deleteAttempts()).containsExactly(rsPath(FIRST));
    assertThat(fx.replicaSetNames())
        .doesNotContain(FIRST)
        .contains("webapp-v002", "workers-v005", "workers-v006");
  }

  @Test
  void aStopBeforeTheBatchMakesNoRequestAtAll() throws Exception {
    ApplyReport report = executor(() -> true).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsOnly(Outcome.NOT_ATTEMPTED)
        .hasSize(4);
    assertThat(fx.calls()).isEmpty();
  }

  @Test
  void aFailedDeleteIsNotRetriedOnceStopping() throws Exception {
    fx.server
        .expect()
        .delete()
        .withPath(rsPath(FIRST))
        .andReturn(503, status(503, "ServiceUnavailable", "etcd is slow"))
        .always();

    ApplyReport report = executor(() -> !deleteAttempts().isEmpty()).execute(shown);

    assertThat(report.results())
        .extracting(DeletionResult::outcome)
        .containsExactly(
            Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED, Outcome.NOT_ATTEMPTED);
    assertThat(deleteAttempts()).containsExactly(rsPath(FIRST));
    assertThat(fx.sleeper.sleeps()).isEmpty();
  }
}
