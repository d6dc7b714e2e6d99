package io.spinclean.kube.apply;

import static io.spinclean.kube.apply.ApplyFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.SnapshotSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever happens to the article's pods between the shown plan and the fresh one (pods get ready,
 * lose readiness, gain or lose the selector label: deploys, rollbacks, a concurrent spinclean),
 * apply writes only to versions that are DELETE in both plans, and never to a keeper of either
 * plan.
 */
class ApplyPropertyTest {
  private static final List<String> PODS =
      List.of(
          "webapp-v001-q7x2m",
          "webapp-v001-t9c4d",
          "webapp-v002-k2j8w",
          "webapp-v002-p4n6z",
          "stream-consumer-v003-h5v9b",
          "stream-consumer-v003-m3r7f",
          "stream-consumer-v004-w8d2c",
          "stream-consumer-v004-x6f1g",
          "workers-v005-c1s5n",
          "workers-v006-d7k3p",
          "workers-v006-g2w9q",
          "workers-v006-r5t8v",
          "workers-v007-b4m6j",
          "workers-v007-n9z3h",
          "workers-v007-y1q5l");

  /** The version a written object belongs to: its ReplicaSet, or the owner of its pod. */
  private static final Pattern VERSION = Pattern.compile("/([a-z-]+-v\\d{3})(-[a-z0-9]+)?$");

  enum Change {
    NONE,
    READY_AND_LABELED,
    UNLABELED,
    NOT_READY
  }

  @Provide
  Arbitrary<List<Change>> changes() {
    return Arbitraries.frequency(
            Tuple.of(6, Change.NONE),
            Tuple.of(1, Change.READY_AND_LABELED),
            Tuple.of(1, Change.UNLABELED),
            Tuple.of(1, Change.NOT_READY))
        .list()
        .ofSize(PODS.size());
  }

  @Property(tries = 10)
  void writesOnlyToVersionsDeletedInBothPlans(@ForAll("changes") List<Change> changes)
      throws Exception {
    try (ApplyFixture fx = new ApplyFixture()) {
      fx.load(ExecutorTest.ARTICLE);
      Plan shown = fx.plan();
      AtomicReference<Snapshot> freshSnapshot = new AtomicReference<>();
      SnapshotSource changed =
          fx.changeThenRead(
              () -> {
                for (int i = 0; i < PODS.size(); i++) {
                  change(fx, PODS.get(i), changes.get(i));
                }
              });
      SnapshotSource fresh =
          () -> {
            freshSnapshot.set(changed.read());
            return freshSnapshot.get();
          };

      ApplyReport report =
          fx.executor(fresh, ApplyOptions.DEFAULT.withDrain(Duration.ofSeconds(5))).execute(shown);

      Plan again = fx.planner.plan(freshSnapshot.get());
      Set<String> both = names(shown.deletions());
      both.retainAll(names(again.deletions()));
      Set<String> keepers = new HashSet<>();
      for (Plan p : List.of(shown, again)) {
        p.clusters().stream()
            .map(ClusterPlan::keep)
            .flatMap(Optional::stream)
            .forEach(keepers::add);
      }
      List<String> touched = new ArrayList<>();
      for (ApplyFixture.Call write : fx.writes()) {
        Matcher m = VERSION.matcher(write.path());
        assertThat(m.find()).as(write.toString()).isTrue();
        touched.add(m.group(1));
      }
      assertThat(touched)
          .allSatisfy(
              version -> {
                assertThat(both).contains(version);
                assertThat(keepers).doesNotContain(version);
              });
      for (DeletionResult r : report.results()) {
        if (!both.contains(r.name())) {
          assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED_CHANGED);
        }
      }
    }
  }

  private static Set<String> names(List<Plan.Deletion> deletions) {
    return deletions.stream().map(d -> d.version().name()).collect(Collectors.toSet());
  }

  private static void change(ApplyFixture fx, String pod, Change change) {
    if (change == Change.NONE) {
      return;
    }
    fx.admin
        .pods()
        .inNamespace(NS)
        .withName(pod)
        .edit(
            p -> {
              String app = p.getMetadata().getLabels().get("app");
              boolean ready = change != Change.NOT_READY;
              if (change == Change.READY_AND_LABELED) {
                p.getMetadata().getLabels().put(ApplyFixture.SELECTOR_KEY, app);
              } else if (change == Change.UNLABELED) {
                p.getMetadata().getLabels().remove(ApplyFixture.SELECTOR_KEY);
              }
              if (change != Change.UNLABELED) {
                List<PodCondition> conditions = new ArrayList<>(p.getStatus().getConditions());
                conditions.removeIf(c -> "Ready".equals(c.getType()));
                conditions.add(
                    new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .build());
                p.getStatus().setConditions(conditions);
              }
              return p;
            });
  }
}
