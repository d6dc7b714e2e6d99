package io.spinclean.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.RandomWorlds.RsSpec;
import io.spinclean.core.RandomWorlds.ServiceState;
import io.spinclean.core.RandomWorlds.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner's invariants over random clusters (see {@link RandomWorlds}). Where a property needs
 * to know what is true of the cluster, it works it out from the generated specs, not from the
 * planner's own observations.
 */
class PlannerProperties {
  private static final int TRIES = 300;

  @Provide
  Arbitrary<World> worlds() {
    return RandomWorlds.worlds();
  }

  private static Plan plan(World w) {
    return new Planner(w.policy()).plan(w.snapshot());
  }

  @Property(tries = TRIES)
  void theKeeperIsNeverDeleted(@ForAll("worlds") World w) {
    for (ClusterPlan c : plan(w).clusters()) {
      c.keep().ifPresent(k -> assertThat(Plans.version(c, k).action()).isEqualTo(Action.KEEP));
    }
  }

  @Property(tries = TRIES)
  void nothingIsDeletedInARefusedOrSkippedCluster(@ForAll("worlds") World w) {
    for (ClusterPlan c : plan(w).clusters()) {
      if (c.verdict() == Verdict.REFUSED || c.verdict() == Verdict.SKIPPED) {
        assertThat(c.versions()).noneMatch(v -> v.action() == Action.DELETE);
      }
    }
  }

  @Property(tries = TRIES)
  void onlySpinnakerVersionsArePlanned(@ForAll("worlds") World w) {
    List<String> planned =
        plan(w).clusters().stream()
            .flatMap(c -> c.versions().stream())
            .map(VersionPlan::uid)
            .sorted()
            .toList();
    List<String> versions =
        w.snapshot().replicaSets().stream()
            .filter(rs -> w.spec(rs.uid()).kind().isVersion())
            .map(ReplicaSet::uid)
            .sorted()
            .toList();

    assertThat(planned).isEqualTo(versions);
  }

  @Property(tries = TRIES)
  void aServiceWithAServingPodKeepsOne(@ForAll("worlds") World w) {
    Plan plan = plan(w);
    Set<String> deleted =
        plan.deletions().stream().map(d -> d.version().uid()).collect(Collectors.toSet());
    for (ClusterPlan c : plan.clusters()) {
      List<ReplicaSet> members = members(w, c.key());
      List<ReplicaSet> remaining =
          members.stream().filter(rs -> !deleted.contains(rs.uid())).toList();
      for (int s : declared(w, members)) {
        if (servingPods(w, members, c.key().namespace(), s) > 0) {
          assertThat(servingPods(w, remaining, c.key().namespace(), s))
              .as("serving pods of Service s%d in %s after %s", s, c.key(), Plans.deleted(plan))
              .isPositive();
        }
      }
    }
  }

  @Property(tries = TRIES)
  void planningIsDeterministicAndIgnoresInputOrder(@ForAll("worlds") World w, @ForAll long seed) {
    Snapshot s = w.snapshot();
    Random random = new Random(seed);
    Snapshot shuffled =
        new Snapshot(
            s.takenAt(),
            shuffle(s.replicaSets(), random),
            shuffle(s.pods(), random),
            shuffle(s.services(), random));
    Planner planner = new Planner(w.policy());

    Plan first = planner.plan(s);

    assertThat(planner.plan(s)).isEqualTo(first);
    assertThat(planner.plan(shuffled)).isEqualTo(first);
  }

  @Property(tries = TRIES)
  void replanningWhatIsLeftDeletesNothingMore(@ForAll("worlds") World w) {
    Plan plan = plan(w);
    Set<String> deleted =
        plan.deletions().stream().map(d -> d.version().uid()).collect(Collectors.toSet());
    Snapshot s = w.snapshot();
    Snapshot after =
        new Snapshot(
            s.takenAt(),
            s.replicaSets().stream().filter(rs -> !deleted.contains(rs.uid())).toList(),
            s.pods().stream().filter(p -> !deleted.contains(p.controllerUid())).toList(),
            s.services());

    Plan again = new Planner(w.policy()).plan(after);

    assertThat(Plans.deleted(again)).as("deleted by the first plan: %s", deleted).isEmpty();
  }

  @Property(tries = TRIES)
  void everyReasonMatchesItsAction(@ForAll("worlds") World w) {
    for (ClusterPlan c : plan(w).clusters()) {
      assertThat(c.reason().verdict()).isEqualTo(c.verdict());
      for (VersionPlan v : c.versions()) {
        assertThat(v.reason().action()).as(v.name()).isEqualTo(v.action());
        assertThat(v.detail()).as(v.name()).isNotBlank();
      }
    }
  }

  @Property(tries = TRIES)
  void theDeletionsNeverExceedMaxDeletions(@ForAll("worlds") World w) {
    Plan plan = plan(w);

    w.policy()
        .maxDeletions()
        .ifPresent(max -> assertThat(plan.deletions()).hasSizeLessThanOrEqualTo(max));
  }

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }

  /** The cluster's ReplicaSets, from the specs: versions of that namespace and application. */
  private static List<ReplicaSet> members(World w, ClusterKey key) {
    return w.snapshot().replicaSets().stream()
        .filter(rs -> rs.namespace().equals(key.namespace()))
        .filter(rs -> w.spec(rs.uid()).kind().isVersion())
        .filter(rs -> key.application().equals("a" + w.spec(rs.uid()).app()))
        .toList();
  }

  /** Services named by the members' traffic annotations that exist with a real selector. */
  private static Set<Integer> declared(World w, List<ReplicaSet> members) {
    return members.stream()
        .map(rs -> w.spec(rs.uid()))
        .filter(spec -> spec.traffic().present() && !spec.traffic().malformed())
        .flatMap(spec -> spec.traffic().services().stream())
        .filter(i -> state(w, members.get(0), i) == ServiceState.NORMAL)
        .collect(Collectors.toSet());
  }

  private static ServiceState state(World w, ReplicaSet rs, int service) {
    RsSpec spec = w.spec(rs.uid());
    return w.services().get(spec.namespace() * RandomWorlds.SERVICES + service);
  }

  /** Ready, not terminating pods of these ReplicaSets that carry Service {@code s}'s selector. */
  private static long servingPods(World w, List<ReplicaSet> owners, String ns, int s) {
    Map<String, String> selector = RandomWorlds.selector(s);
    return w.snapshot().pods().stream()
        .filter(p -> p.namespace().equals(ns))
        .filter(p -> owners.stream().anyMatch(rs -> rs.owns(p)))
        .filter(p -> p.ready() && !p.terminating())
        .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
        .count();
  }
}
