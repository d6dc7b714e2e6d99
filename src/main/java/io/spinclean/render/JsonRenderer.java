package io.spinclean.render;

import io.spinclean.core.Action;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterKey;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.Policy;
import io.spinclean.core.Verdict;
import io.spinclean.core.VersionPlan;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link Plan} or an {@link ApplyReport} as the JSON document described in docs/output.md
 * and docs/plan.schema.json ({@code apiVersion: spinclean.io/v1}).
 *
 * <p>Invariants: the trees are built field by field here, never by reflecting over the core
 * records, so renaming a record accessor cannot change the schema; fields appear in a fixed order
 * and sets are sorted, so the same value always gives the same bytes; within {@code
 * spinclean.io/v1} fields are only ever added. Output is pretty-printed with a two-space indent and
 * ends with a newline. Pure: no I/O, no clock.
 */
public final class JsonRenderer {
  public static final String API_VERSION = "spinclean.io/v1";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = JsonMapper.builder().build().writer().with(printer());

  private JsonRenderer() {}

  /** A document of kind {@code Plan}. */
  public static String render(Plan plan) {
    return WRITER.writeValueAsString(document(plan, "Plan", null)) + "\n";
  }

  /**
   * A document of kind {@code ApplyReport}: the plan document, every version with an {@code
   * outcome} (null unless it was planned for deletion), then {@code outcomes} and {@code
   * remaining}.
   */
  public static String render(ApplyReport report) {
    return WRITER.writeValueAsString(applyDocument(report)) + "\n";
  }

  /** As {@link #render(ApplyReport)}, with {@code backup}: the bundle and the restore command. */
  public static String render(ApplyReport report, BackupNote backup) {
    ObjectNode doc = applyDocument(report);
    ObjectNode node = doc.putObject("backup");
    node.put("enabled", backup.enabled());
    node.put("bundle", backup.bundle().orElse(null));
    node.put("restore", backup.restore().orElse(null));
    return WRITER.writeValueAsString(doc) + "\n";
  }

  private static ObjectNode applyDocument(ApplyReport report) {
    Map<VersionRef, DeletionResult> byVersion = new HashMap<>();
    for (DeletionResult r : report.results()) {
      byVersion.putIfAbsent(new VersionRef(r.cluster(), r.name()), r);
    }
    ObjectNode doc = document(report.plan(), "ApplyReport", byVersion);
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    ArrayNode outcomes = doc.putArray("outcomes");
    for (DeletionResult r : report.results()) {
      counts.merge(r.outcome(), 1, Integer::sum);
      ObjectNode o = outcomes.addObject();
      o.put("namespace", r.cluster().namespace());
      o.put("application", r.cluster().application());
      o.put("cluster", r.cluster().cluster());
      o.put("name", r.name());
      o.put("uid", r.uid());
      o.put("outcome", r.outcome().name());
      o.put("drained", r.drained());
      o.put("detail", r.detail());
    }
    doc.set("remaining", strings(report.remaining()));
    ObjectNode byOutcome = ((ObjectNode) doc.get("summary")).putObject("outcomes");
    for (Outcome o : Outcome.values()) {
      byOutcome.put(o.name(), counts.getOrDefault(o, 0));
    }
    return doc;
  }

  /** The plan document; with {@code results} (an apply), every version gets an outcome field. */
  private static ObjectNode document(
      Plan plan, String kind, Map<VersionRef, DeletionResult> results) {
    ObjectNode doc = NODES.objectNode();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", kind);
    doc.put("takenAt", plan.takenAt().toString());
    doc.set("policy", policy(plan.policy()));
    ArrayNode clusters = doc.putArray("clusters");
    for (ClusterPlan c : plan.clusters()) {
      clusters.add(cluster(c, results));
    }
    doc.set("summary", summary(plan.summary()));
    return doc;
  }

  private static ObjectNode policy(Policy p) {
    ObjectNode node = NODES.objectNode();
    node.put("keepPrevious", p.keepPrevious());
    node.put("minAge", p.minAge().toString());
    if (p.maxDeletions().isPresent()) {
      node.put("maxDeletions", p.maxDeletions().getAsInt());
    } else {
      node.putNull("maxDeletions");
    }
    node.set("namespaces", strings(new TreeSet<>(p.namespaces())));
    node.set("applications", strings(new TreeSet<>(p.applications())));
    node.set("clusters", strings(new TreeSet<>(p.clusters())));
    return node;
  }

  private static ObjectNode cluster(ClusterPlan c, Map<VersionRef, DeletionResult> results) {
    ObjectNode node = NODES.objectNode();
    node.put("namespace", c.key().namespace());
    node.put("application", c.key().application());
    node.put("cluster", c.key().cluster());
    node.put("verdict", c.verdict().name());
    node.put("reason", c.reason().name());
    node.put("detail", c.detail());
    node.put("keep", c.keep().orElse(null));
    node.set("services", strings(c.services()));
    node.set("missingServices", strings(c.missingServices()));
    node.set("warnings", strings(c.warnings()));
    ArrayNode versions = node.putArray("versions");
    for (VersionPlan v : c.versions()) {
      ObjectNode version = version(v);
      if (results != null) {
        DeletionResult r =
            v.action() == Action.DELETE ? results.get(new VersionRef(c.key(), v.name())) : null;
        version.put("outcome", r == null ? null : r.outcome().name());
      }
      versions.add(version);
    }
    return node;
  }

  private static ObjectNode version(VersionPlan v) {
    ObjectNode node = NODES.objectNode();
    node.put("name", v.name());
    node.put("uid", v.uid() == null ? "" : v.uid());
    node.put("resourceVersion", v.resourceVersion() == null ? "" : v.resourceVersion());
    node.put("createdAt", v.createdAt() == null ? null : v.createdAt().toString());
    if (v.number().isPresent()) {
      node.put("number", v.number().getAsLong());
    } else {
      node.putNull("number");
    }
    node.put("role", v.role().name());
    node.put("action", v.action().name());
    node.put("reason", v.reason().name());
    node.put("detail", v.detail());
    node.put("replicas", v.replicas());
    node.put("pods", v.pods());
    node.put("readyPods", v.readyPods());
    node.put("serving", v.serving());
    node.put("labeledNotReady", v.labeledNotReady());
    node.set("servedServices", strings(v.servedServices()));
    node.put("templateEnabled", v.templateEnabled());
    node.put("halfDisabled", v.halfDisabled());
    node.put("halfEnabled", v.halfEnabled());
    node.put("protected", v.protect());
    return node;
  }

  private static ObjectNode summary(Plan.Summary s) {
    ObjectNode node = NODES.objectNode();
    node.put("clusters", s.clusters());
    node.put("versions", s.versions());
    ObjectNode verdicts = node.putObject("verdicts");
    for (Verdict v : Verdict.values()) {
      verdicts.put(v.name(), s.verdicts().getOrDefault(v, 0));
    }
    ObjectNode actions = node.putObject("actions");
    for (Action a : Action.values()) {
      actions.put(a.name(), s.actions().getOrDefault(a, 0));
    }
    return node;
  }

  private static ArrayNode strings(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Two-space indent, {@code "key": value}, {@code []} and {@code {}} for empty containers. */
  static DefaultPrettyPrinter printer() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  /** A version is identified in a report by its cluster and name, as DeletionResult names it. */
  private record VersionRef(ClusterKey cluster, String name) {}
}
