package io.spinclean.watch;

import io.spinclean.core.Action;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import java.util.Set;
import java.util.TreeSet;

/** What {@link Controller} remembers of one cluster between evaluations. */
final class ClusterState {
  private ClusterState() {}

  /** What must stay the same across confirmations. */
  record Signature(Verdict verdict, String reason, Set<String> deletions) {
    static Signature of(ClusterPlan c) {
      Set<String> uids = new TreeSet<>();
      for (VersionPlan v : c.versions()) {
        if (v.action() == Action.DELETE) {
          uids.add(v.uid());
        }
      }
      return new Signature(c.verdict(), c.reason().name(), uids);
    }

    boolean needsAction() {
      return verdict == Verdict.CLEANUP || verdict == Verdict.REFUSED;
    }
  }

  static final class State {
    ClusterPlan plan;
    Signature signature;
    int confirmations;
    Signature reported;
    Signature capped;

    /**
     * @param s the settled evaluation's decision, or null when not settled
     */
    void confirm(Signature s) {
      if (s == null) {
        confirmations = 0;
      } else if (s.equals(signature) && confirmations > 0) {
        confirmations++;
      } else {
        signature = s;
        confirmations = 1;
      }
    }

    boolean pending() {
      return signature == null || (signature.needsAction() && !signature.equals(reported));
    }
  }
}
