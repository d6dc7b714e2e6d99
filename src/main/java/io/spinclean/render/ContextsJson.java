package io.spinclean.render;

import io.spinclean.core.ApplyReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON document of a run over several Kubernetes contexts (docs/output.md): the document {@link
 * JsonRenderer} prints for one context, made of every context's, in kubeconfig order. Every cluster
 * and outcome carries {@code "context"}; the top-level {@code "contexts"} lists each context with
 * its status and error; the summary counts over all contexts; {@code takenAt} is the earliest
 * snapshot. Pure.
 */
public final class ContextsJson {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectWriter WRITER = MAPPER.writer().with(JsonRenderer.printer());

  private ContextsJson() {}

  /**
   * A document of kind {@code Plan} ({@code empty} a report of nothing) or {@code ApplyReport}.
   *
   * @param empty the document of a context without clusters, under the run's policy: what the
   *     counts start from when every context failed
   */
  public static String render(List<ContextResult> contexts, ApplyReport empty, boolean apply) {
    ObjectNode doc = tree(empty, apply);
    ArrayNode list = MAPPER.createArrayNode();
    ArrayNode clusters = (ArrayNode) doc.get("clusters");
    ArrayNode outcomes = apply ? (ArrayNode) doc.get("outcomes") : null;
    ArrayNode remaining = apply ? (ArrayNode) doc.get("remaining") : null;
    TreeSet<String> namespaces = new TreeSet<>();
    Instant takenAt = null;
    for (ContextResult c : contexts) {
      ObjectNode item = list.addObject();
      item.put("name", c.name());
      item.put("status", c.ok() ? "ok" : "error");
      item.put("error", c.error());
      if (c.plan() == null) {
        continue;
      }
      ObjectNode part =
          tree(
              c.report() != null ? c.report() : new ApplyReport(c.plan(), List.of(), List.of()),
              apply);
      takenAt =
          takenAt == null || c.plan().takenAt().isBefore(takenAt) ? c.plan().takenAt() : takenAt;
      part.get("policy").get("namespaces").forEach(n -> namespaces.add(n.asString()));
      part.get("clusters").forEach(n -> clusters.add(tagged(c.name(), n)));
      add((ObjectNode) doc.get("summary"), (ObjectNode) part.get("summary"));
      if (apply) {
        part.get("outcomes").forEach(n -> outcomes.add(tagged(c.name(), n)));
        remaining.addAll((ArrayNode) part.get("remaining"));
      }
    }
    if (takenAt != null) {
      doc.put("takenAt", takenAt.toString());
    }
    ArrayNode names = ((ObjectNode) doc.get("policy")).putArray("namespaces");
    namespaces.forEach(names::add);
    return WRITER.writeValueAsString(withContexts(doc, list)) + "\n";
  }

  private static ObjectNode tree(ApplyReport report, boolean apply) {
    String json = apply ? JsonRenderer.render(report) : JsonRenderer.render(report.plan());
    return (ObjectNode) MAPPER.readTree(json);
  }

  /** {@code contexts} after {@code policy}, before {@code clusters}. */
  private static ObjectNode withContexts(ObjectNode doc, ArrayNode contexts) {
    ObjectNode out = MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> field : doc.properties()) {
      if (field.getKey().equals("clusters")) {
        out.set("contexts", contexts);
      }
      out.set(field.getKey(), field.getValue());
    }
    return out;
  }

  /** The object with {@code "context"} first. */
  private static ObjectNode tagged(String context, JsonNode node) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("context", context);
    out.setAll((ObjectNode) node);
    return out;
  }

  /** Adds every count of {@code part} to {@code into}, field by field. */
  private static void add(ObjectNode into, ObjectNode part) {
    for (Map.Entry<String, JsonNode> field : part.properties()) {
      JsonNode mine = into.get(field.getKey());
      if (field.getValue().isObject() && mine != null && mine.isObject()) {
        add((ObjectNode) mine, (ObjectNode) field.getValue());
      } else if (field.getValue().isIntegralNumber()) {
        into.put(field.getKey(), (mine == null ? 0 : mine.asLong()) + field.getValue().asLong());
      }
    }
  }
}
