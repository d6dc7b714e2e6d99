package io.spinclean.render;

import io.spinclean.core.ApplyReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code SPINNAKER_CONFIG_JSON} line of a run over several Kubernetes contexts: the keys of
 * {@link SpinnakerOutput} over every context (lists name a version {@code context/namespace/name},
 * counts add up, each cluster carries its context), plus {@code spincleanContexts}: per context its
 * status, error and counts. The verdict is the worst of the contexts': ERROR (a context failed),
 * then FAILED, REFUSED, CLEANUP, CLEAN. Pure; the same invariants as {@link SpinnakerOutput}.
 */
public final class ContextsSpinnaker {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final List<String> VERDICTS =
      List.of("CLEAN", "CLEANUP", "REFUSED", "FAILED", "ERROR");
  private static final List<String> COUNTS =
      List.of("spincleanDeletedCount", "spincleanRefusedCount", "spincleanFailedCount");

  private ContextsSpinnaker() {}

  /** The config line of {@code plan}. */
  public static String plan(List<ContextResult> contexts, int exitCode) {
    return line(contexts, exitCode, false);
  }

  /** The config line of {@code apply}. */
  public static String apply(List<ContextResult> contexts, int exitCode) {
    return line(contexts, exitCode, true);
  }

  private static String line(List<ContextResult> contexts, int exitCode, boolean apply) {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode clusters = MAPPER.createArrayNode();
    ArrayNode perContext = MAPPER.createArrayNode();
    List<String> summaries = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String verdict = "CLEAN";
    for (ContextResult c : contexts) {
      ObjectNode item = perContext.addObject();
      item.put("name", c.name());
      item.put("status", c.ok() ? "ok" : "error");
      item.put("error", c.error());
      if (!c.ok()) {
        errors.add(c.label() + ": " + c.error());
        verdict = "ERROR";
      }
      ObjectNode part = part(c, exitCode, apply);
      if (part == null) {
        COUNTS.forEach(k -> item.put(k, 0));
        summaries.add(c.label() + ": error: " + c.error());
        continue;
      }
      String mine = part.get("spincleanVerdict").asString();
      if (VERDICTS.indexOf(mine) > VERDICTS.indexOf(verdict)) {
        verdict = mine;
      }
      summaries.add(c.label() + ": " + part.get("spincleanSummary").asString());
      for (Map.Entry<String, JsonNode> field : part.properties()) {
        JsonNode value = field.getValue();
        if (field.getKey().equals("spincleanClusters")) {
          value.forEach(n -> clusters.add(tagged(c.name(), n)));
        } else if (value.isArray()) {
          ArrayNode list = out.has(field.getKey()) ? (ArrayNode) out.get(field.getKey()) : null;
          if (list == null) {
            list = out.putArray(field.getKey());
          }
          for (JsonNode ref : value) {
            list.add(c.label() + "/" + ref.asString());
          }
        } else if (COUNTS.contains(field.getKey())) {
          item.put(field.getKey(), value.asInt());
          out.put(field.getKey(), out.path(field.getKey()).asInt(0) + value.asInt());
        }
      }
    }
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("spincleanVerdict", verdict);
    doc.put("spincleanCommand", apply ? "apply" : "plan");
    doc.put("spincleanExitCode", exitCode);
    doc.put("spincleanError", errors.isEmpty() ? null : String.join("; ", errors));
    doc.put("spincleanSummary", String.join(" | ", summaries));
    for (String key : order()) {
      doc.set(key, out.has(key) ? out.get(key) : MAPPER.createArrayNode());
    }
    COUNTS.forEach(k -> doc.put(k, out.path(k).asInt(0)));
    doc.set("spincleanClusters", clusters);
    doc.set("spincleanContexts", perContext);
    return SpinnakerOutput.line(doc);
  }

  private static List<String> order() {
    return List.of(
        "spincleanDeleted",
        "spincleanAlreadyGone",
        "spincleanKept",
        "spincleanRefused",
        "spincleanSkipped",
        "spincleanFailed",
        "spincleanRemaining");
  }

  /** The outputs one context alone would give, or null when it has no plan. */
  private static ObjectNode part(ContextResult c, int exitCode, boolean apply) {
    if (c.plan() == null) {
      return null;
    }
    String text =
        apply
            ? SpinnakerOutput.renderOutcomes(
                c.report() != null ? c.report() : new ApplyReport(c.plan(), List.of(), List.of()),
                exitCode)
            : SpinnakerOutput.render(c.plan(), exitCode);
    String[] lines = text.split("\n", -1);
    String last = lines[lines.length - 2]; // the text ends with a newline
    return (ObjectNode) MAPPER.readTree(last.substring(SpinnakerOutput.CONFIG_JSON.length()));
  }

  private static ObjectNode tagged(String context, JsonNode node) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("context", context);
    out.setAll((ObjectNode) node);
    return out;
  }
}
