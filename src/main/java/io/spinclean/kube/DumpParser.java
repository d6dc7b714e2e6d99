package io.spinclean.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one stream of what {@code kubectl get ... -o json|yaml} prints and hands each ReplicaSet,
 * Pod and Service to a sink as a fabric8 object; objects of other kinds are skipped.
 *
 * <p>Accepted: a {@code List} or typed list ({@code ReplicaSetList}, whose items may leave out kind
 * and apiVersion, as the API server's own list responses do), single objects, several YAML
 * documents separated by {@code ---}, or several JSON values one after another. The input is JSON
 * when its first character is <code>{</code> or <code>[</code>, else YAML. A list's items are read
 * one at a time, so a dump of 50,000 pods is never held as one tree.
 *
 * <p>Errors are {@link InputException}s with one sentence that names the source and the place
 * (document and item numbers count from 1, lines are the input's):
 *
 * <ul>
 *   <li>{@code x.json: not JSON or YAML (line 3, column 5: ...)}
 *   <li>{@code x.yaml: no Kubernetes objects found} — no document at all (an empty List is fine)
 *   <li>{@code x.yaml: document 2 (line 14) has no kind}, {@code ... is not a Kubernetes object}
 *   <li>{@code x.json: ReplicaSet at item 4 (line 120) has no metadata.name}
 *   <li>{@code x.json: ReplicaSet web-v001 at item 4 (line 120) is not a valid ReplicaSet: ...}
 * </ul>
 *
 * Only ReplicaSets, Pods and Services need a name; other kinds need only a kind.
 */
final class DumpParser {
  /**
   * An object of a kind spinclean reads, and where it was found, e.g. "Pod p at item 3 (line 40)".
   */
  record Item(HasMetadata object, String where) {}

  @FunctionalInterface
  interface Sink {
    void accept(Item item) throws InputException;
  }

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  // snakeyaml refuses documents over 3 MB by default; `kubectl get pods -A -o yaml` is far bigger.
  private static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .loadSettings(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build())
                  .build())
          .build();
  // Converts to explicitly named classes only, so fabric8 need not scan the class path for kinds.
  private static final KubernetesSerialization SERIALIZATION =
      new KubernetesSerialization(JsonMapper.builder().build(), false);
  private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private final String source;
  private final Sink sink;
  private int document;

  private DumpParser(String source, Sink sink) {
    this.source = source;
    this.sink = sink;
  }

  /**
   * @param source the name used in messages: the path as the user typed it, or "stdin"
   * @param in read to the end and closed
   */
  static void parse(String source, InputStream in, Sink sink) throws InputException {
    new DumpParser(source, sink).run(new BufferedInputStream(in, 1 << 16));
  }

  private void run(BufferedInputStream in) throws InputException {
    int objects = 0;
    try (JsonParser p = (looksLikeJson(in) ? JSON : YAML).createParser(in)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        document++;
        if (t == JsonToken.VALUE_NULL) {
          continue; // an empty YAML document, e.g. after a trailing "---"
        }
        objects++;
        String where = "document " + document + " (line " + line(p) + ")";
        if (t != JsonToken.START_OBJECT) {
          throw fail(where + " is not a Kubernetes object");
        }
        readDocument(p, where);
      }
    } catch (JacksonIOException e) {
      throw new InputException(source + ": cannot read (" + e.getOriginalMessage() + ")", e);
    } catch (JacksonException e) {
      throw new InputException(source + ": not JSON or YAML (" + describe(e) + ")", e);
    }
    if (objects == 0) {
      throw fail("no Kubernetes objects found");
    }
  }

  /**
   * Reads one top-level object field by field, so that a list's items are mapped one at a time. The
   * items come before {@code kind} in kubectl's output, so an item without a kind of its own waits
   * until the list's kind is known.
   */
  private void readDocument(JsonParser p, String where) throws InputException {
    ObjectNode root = JSON.createObjectNode();
    List<Pending> waiting = new ArrayList<>();
    boolean hasItems = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (!field.equals("items") || value != JsonToken.START_ARRAY) {
        root.set(field, p.readValueAsTree());
        continue;
      }
      hasItems = true;
      for (int index = 1; p.nextToken() != JsonToken.END_ARRAY; index++) {
        String itemWhere = itemWhere(index, line(p)); // the line where the item starts
        Pending item = new Pending(p.readValueAsTree(), itemWhere);
        if (item.node.has("kind") || root.has("kind")) {
          accept(item.node, item.where, root);
        } else {
          waiting.add(item);
        }
      }
    }
    String kind = text(root, "kind");
    if (kind == null) {
      throw fail(where + " has no kind");
    }
    if (hasItems) {
      for (Pending item : waiting) {
        accept(item.node, item.where, root);
      }
    } else {
      accept(root, where, null);
    }
  }

  /** One object; a nested list is read as a tree (kubectl never nests lists). */
  private void accept(JsonNode node, String where, JsonNode list) throws InputException {
    if (!node.isObject()) {
      throw fail(where + " is not a Kubernetes object");
    }
    String kind = text(node, "kind");
    String apiVersion = text(node, "apiVersion");
    if (kind == null && list != null && isList(text(list, "kind"))) {
      String listKind = text(list, "kind");
      kind = listKind.equals("List") ? null : listKind.substring(0, listKind.length() - 4);
      apiVersion = text(list, "apiVersion");
    }
    if (kind == null) {
      throw fail(where + " has no kind");
    }
    if (isList(kind)) {
      JsonNode items = node.get("items");
      if (items != null && !items.isNull() && !items.isArray()) {
        throw fail(where + ": items is not a list");
      }
      for (int i = 0; items != null && i < items.size(); i++) {
        accept(items.get(i), "item " + (i + 1) + " of " + where, node);
      }
      return;
    }
    Class<? extends HasMetadata> type = typeOf(kind, apiVersion);
    if (type == null) {
      return; // Deployments, ConfigMaps, ... are not spinclean's business
    }
    String name = text(node.path("metadata"), "name");
    if (name == null) {
      throw fail(kind + " at " + where + " has no metadata.name");
    }
    String named = kind + " " + name + " at " + where;
    HasMetadata object;
    try {
      object = SERIALIZATION.convertValue(node, type);
    } catch (IllegalArgumentException e) {
      throw fail(named + " is not a valid " + kind + ": " + describeMapping(e));
    }
    sink.accept(new Item(object, named));
  }

  /** Only the core kinds: a Knative {@code Service} (serving.knative.dev) is not a Service. */
  private static Class<? extends HasMetadata> typeOf(String kind, String apiVersion) {
    boolean core = apiVersion == null || apiVersion.equals("v1");
    boolean apps =
        apiVersion == null
            || apiVersion.startsWith("apps/")
            || apiVersion.startsWith("extensions/");
    return switch (kind) {
      case "ReplicaSet" -> apps ? ReplicaSet.class : null;
      case "Pod" -> core ? Pod.class : null;
      case "Service" -> core ? Service.class : null;
      default -> null;
    };
  }

  private static boolean isList(String kind) {
    return kind != null && kind.endsWith("List");
  }

  private String itemWhere(int index, int line) {
    String of = document > 1 ? " of document " + document : "";
    return "item " + index + of + " (line " + line + ")";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() && !value.stringValue().isEmpty()
        ? value.stringValue()
        : null;
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private InputException fail(String what) {
    return new InputException(source + ": " + what);
  }

  /** JSON when the first character that is not white space or a byte-order mark is { or [. */
  private boolean looksLikeJson(BufferedInputStream in) throws InputException {
    int limit = 4096;
    in.mark(limit);
    try {
      for (int i = 0; i < limit; i++) {
        int b = in.read();
        if (b == '{' || b == '[') {
          return true;
        }
        // UTF-8 and UTF-16 byte-order marks, the zero bytes of UTF-16, and white space
        boolean skip = b == 0 || b == 0xEF || b == 0xBB || b == 0xBF || b == 0xFE || b == 0xFF;
        if (b < 0 || !(skip || Character.isWhitespace(b))) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      throw new InputException(source + ": cannot read (" + e.getMessage() + ")", e);
    } finally {
      try {
        in.reset();
      } catch (IOException e) {
        // cannot happen within the mark limit; the parser will report a broken stream
      }
    }
  }

  static String describe(JacksonException e) {
    long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
    return summarize(e.getOriginalMessage(), line, column);
  }

  /**
   * "line 2, column 6: what is wrong" from a parser message. snakeyaml's messages quote the input
   * over several lines and name the place of the problem last; keep the lines that explain.
   */
  static String summarize(String message, long line, long column) {
    message = message == null ? "" : message;
    List<String> explanation = new ArrayList<>();
    for (String text : message.split("\n", -1)) {
      if (!text.isBlank() && !text.startsWith(" ")) {
        explanation.add(text.strip());
      }
    }
    Matcher mark = YAML_MARK.matcher(message);
    while (mark.find()) {
      line = Long.parseLong(mark.group(1));
      column = Long.parseLong(mark.group(2));
    }
    String at = line > 0 ? "line " + line + ", column " + column + ": " : "";
    return at + String.join(", ", explanation);
  }

  /** "spec.replicas: Cannot deserialize value of type ..." from Jackson's reference chain. */
  private static String describeMapping(IllegalArgumentException e) {
    if (!(e.getCause() instanceof DatabindException d)) {
      return e.getMessage();
    }
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : d.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return (path.length() == 0 ? "" : path + ": ") + d.getOriginalMessage();
  }

  private record Pending(JsonNode node, String where) {}
}
