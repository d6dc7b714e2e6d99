package io.spinclean.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

/** Runs the planner and reduces its output to what a table-driven test compares. */
final class Plans {
  private Plans() {}

  static Plan plan(Snapshot snapshot) {
    return plan(snapshot, Policy.DEFAULT);
  }

  static Plan plan(Snapshot snapshot, Policy policy) {
    return new Planner(policy).plan(snapshot);
  }

  /** The plan's only cluster. */
  static ClusterPlan only(Plan plan) {
    assertThat(plan.clusters()).as("clusters in the plan").hasSize(1);
    return plan.clusters().get(0);
  }

  static ClusterPlan cluster(Plan plan, String application) {
    List<ClusterPlan> found =
        plan.clusters().stream().filter(c -> c.key().application().equals(application)).toList();
    assertThat(found).as("clusters of application " + application).hasSize(1);
    return found.get(0);
  }

  static VersionPlan version(ClusterPlan cluster, String name) {
    return cluster.versions().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version " + name + " in " + cluster.key()));
  }

  /**
   * One line per cluster, e.g. {@code CLEANUP STALE_VERSIONS keep=webapp-v001 | webapp-v001 KEEP
   * NEWEST_SERVING | webapp-v002 DELETE FAILED_CANDIDATE}: the verdict, the keeper and every
   * version oldest first with its action and reason.
   */
  static String describe(ClusterPlan c) {
    return c.verdict()
        + " "
        + c.reason()
        + " keep="
        + c.keep().orElse("-")
        + c.versions().stream()
            .map(v -> " | " + v.name() + " " + v.action() + " " + v.reason())
            .collect(Collectors.joining());
  }

  /** {@link #describe} for every cluster, each prefixed by its key ({@code ns/app/cluster: }). */
  static List<String> describeAll(Plan plan) {
    return plan.clusters().stream().map(c -> c.key() + ": " + describe(c)).toList();
  }

  /** The names of the versions planned for deletion, in plan order. */
  static List<String> deleted(Plan plan) {
    return plan.deletions().stream().map(d -> d.version().name()).toList();
  }
}
