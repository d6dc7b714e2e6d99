package io.spinclean.render;

import io.spinclean.core.Action;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.Plan;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outputs of one Spinnaker stage run ({@link SpinnakerOutput}): the version and cluster lists,
 * filled in plan order, and the top-level {@code spinclean*} keys made from them, always the same
 * keys in the same order.
 */
final class StageOutputs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final List<String> deleted = new ArrayList<>();
  final List<String> alreadyGone = new ArrayList<>();
  final List<String> kept = new ArrayList<>();
  final List<String> refused = new ArrayList<>();
  final List<String> skipped = new ArrayList<>();
  final List<String> failed = new ArrayList<>();
  final List<String> remaining = new ArrayList<>();

  /** What every plan says, whatever happened next: what stays and which clusters were refused. */
  StageOutputs collect(Plan plan) {
    StageOutputs lists = this;
    for (ClusterPlan c : plan.clusters()) {
      if (c.verdict() == Verdict.REFUSED) {
        lists.refused.add(c.key().toString());
      }
      for (VersionPlan v : c.versions()) {
        if (v.action() != Action.DELETE) {
          lists.kept.add(ref(c.key(), v.name()));
        }
      }
    }
    return lists;
  }

  /** The top-level keys, in a fixed order; {@code spincleanClusters} is added by the caller. */
  ObjectNode json(String verdict, String command, OptionalInt exitCode, String error) {
    StageOutputs lists = this;
    ObjectNode out = NODES.objectNode();
    out.put("spincleanVerdict", verdict);
    out.put("spincleanCommand", command);
    if (exitCode.isPresent()) {
      out.put("spincleanExitCode", exitCode.getAsInt());
    } else {
      out.putNull("spincleanExitCode");
    }
    out.put("spincleanError", error);
    out.put("spincleanSummary", error != null ? error : summary(command, lists));
    out.set("spincleanDeleted", strings(lists.deleted));
    out.set("spincleanAlreadyGone", strings(lists.alreadyGone));
    out.set("spincleanKept", strings(lists.kept));
    out.set("spincleanRefused", strings(lists.refused));
    out.set("spincleanSkipped", strings(lists.skipped));
    out.set("spincleanFailed", strings(lists.failed));
    out.set("spincleanRemaining", strings(lists.remaining));
    out.put("spincleanDeletedCount", lists.deleted.size());
    out.put("spincleanRefusedCount", lists.refused.size());
    out.put("spincleanFailedCount", lists.failed.size());
    return out;
  }

  static ObjectNode cluster(ArrayNode clusters, ClusterPlan c) {
    ObjectNode node = clusters.addObject();
    node.put("namespace", c.key().namespace());
    node.put("application", c.key().application());
    node.put("cluster", c.key().cluster());
    node.put("verdict", c.verdict().name());
    node.put("reason", c.reason().name());
    node.put("keep", c.keep().orElse(null));
    return node;
  }

  /** One sentence with the counts, e.g. "deleted 2 versions; 1 cluster refused". */
  private static String summary(String command, StageOutputs lists) {
    List<String> parts = new ArrayList<>();
    boolean plan = "plan".equals(command);
    parts.add((plan ? "would delete " : "deleted ") + count(lists.deleted.size(), "version"));
    if (!lists.alreadyGone.isEmpty()) {
      parts.add(lists.alreadyGone.size() + " already gone");
    }
    if (!lists.skipped.isEmpty()) {
      parts.add(lists.skipped.size() + " skipped (changed since the plan)");
    }
    if (!lists.failed.isEmpty()) {
      parts.add(lists.failed.size() + " failed or not attempted");
    }
    if (!lists.refused.isEmpty()) {
      parts.add(count(lists.refused.size(), "cluster") + " refused");
    }
    if (!lists.remaining.isEmpty()) {
      parts.add(lists.remaining.size() + " still present after --wait");
    }
    return String.join("; ", parts);
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** {@code namespace/name}, as the table's outcome section names a version. */
  static String ref(ClusterKey cluster, String name) {
    return cluster.namespace() + "/" + name;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
