package io.spinclean.kube.read;

import io.spinclean.kube.ParseErrors;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one stream of what {@code kubectl get ... -o json|yaml} prints and hands each ReplicaSet,
 * Pod and Service to a sink as a core record ({@link io.spinclean.core.ReplicaSet}, ...); objects
 * of other kinds are skipped. Only the planner's fields are read ({@link ObjectFields}); the rest
 * is skipped unbuilt, and neither fabric8's object model nor a tree of a document is made.
 *
 * <p>Accepted: a {@code List} or typed list ({@code ReplicaSetList}, whose items may leave out kind
 * and apiVersion, as the API server's own list responses do), single objects, several YAML
 * documents separated by {@code ---}, or several JSON values one after another. The input is JSON
 * when its first character is <code>{</code> or <code>[</code>, else YAML. A list's items are read
 * one at a time, so a dump of 50,000 pods is never held in memory.
 *
 * <p>Errors are {@link InputException}s with one sentence that names the source and the place
 * (document and item numbers count from 1, lines are the input's):
 *
 * <ul>
 *   <li>{@code x.json: not JSON or YAML (line 3, column 5: ...)}
 *   <li>{@code x.yaml: no Kubernetes objects found} — no document at all (an empty List is fine)
 *   <li>{@code x.yaml: document 2 (line 14) has no kind}, {@code ... is not a Kubernetes object}
 *   <li>{@code x.json: ReplicaSet at item 4 (line 120) has no metadata.name}
 *   <li>{@code x.json: ReplicaSet web-v001 at item 4 (line 120) is not a valid ReplicaSet: ...} (a
 *       value of the wrong type), and {@code ...: spec.replicas is negative: -1}
 * </ul>
 *
 * Only ReplicaSets, Pods and Services need a name; other kinds need only a kind.
 */
public final class DumpParser {
  /**
   * An object of a kind spinclean reads, and where it was found, e.g. "Pod p at item 3 (line 40)".
   *
   * @param record a {@link io.spinclean.core.ReplicaSet}, {@link io.spinclean.core.Pod} or {@link
   *     io.spinclean.core.Service}
   * @param tree the whole object as written, only when parsed {@link #parseWhole whole}, else null
   */
  public record Item(Object record, String where, JsonNode tree) {}

  @FunctionalInterface
  public interface Sink {
    void accept(Item item) throws InputException;
  }

  private final String source;
  private final Sink sink;
  private final boolean whole;
  private int document;

  private DumpParser(String source, Sink sink, boolean whole) {
    this.source = source;
    this.sink = sink;
    this.whole = whole;
  }

  /**
   * @param source the name used in messages: the path as the user typed it, or "stdin"
   * @param in read to the end and closed
   */
  static void parse(String source, InputStream in, Sink sink) throws InputException {
    new DumpParser(source, sink, false).run(new BufferedInputStream(in, 1 << 16));
  }

  /**
   * As {@link #parse}, also handing out each object whole, as a tree (one object at a time), for
   * the embedded API server that creates them.
   */
  public static void parseWhole(String source, InputStream in, Sink sink) throws InputException {
    new DumpParser(source, sink, true).run(new BufferedInputStream(in, 1 << 16));
  }

  private void run(BufferedInputStream in) throws InputException {
    int objects = 0;
    try (JsonParser p = DumpFormat.parser(source, in)) {
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
        if (whole) {
          readWholeDocument(p, where);
        } else {
          readDocument(p, where);
        }
      }
    } catch (JacksonIOException e) {
      throw new InputException(source + ": cannot read (" + e.getOriginalMessage() + ")", e);
    } catch (JacksonException e) {
      throw new InputException(source + ": not JSON or YAML (" + ParseErrors.describe(e) + ")", e);
    }
    if (objects == 0) {
      throw fail("no Kubernetes objects found");
    }
  }

  /**
   * Reads one top-level object field by field, each list item as it comes: the items come before
   * {@code kind} in kubectl's output, so an item without a kind of its own waits, as the planner's
   * fields only, until the list's kind is known.
   */
  private void readDocument(JsonParser p, String where) throws InputException {
    List<Pending> waiting = new ArrayList<>();
    ObjectFields root =
        ObjectFields.read(
            p,
            (items, list) -> {
              for (int index = 1; items.nextToken() != JsonToken.END_ARRAY; index++) {
                String itemWhere = itemWhere(index, line(items)); // the line where it starts
                Pending item = new Pending(ObjectFields.read(items, null), null, itemWhere);
                if (item.fields.kindPresent || list.kindPresent) {
                  accept(item.fields, null, item.where, list);
                } else {
                  waiting.add(item);
                }
              }
            });
    if (root.kind == null) {
      throw fail(where + " has no kind");
    }
    if (root.hasItems) {
      for (Pending item : waiting) {
        accept(item.fields, item.tree, item.where, root);
      }
    } else {
      accept(root, null, where, null);
    }
  }

  /** As {@link #readDocument}, keeping each object as a tree: the items, or the document. */
  private void readWholeDocument(JsonParser p, String where) throws InputException {
    ObjectNode root = DumpFormat.JSON.createObjectNode();
    List<Pending> waiting = new ArrayList<>();
    boolean hasItems = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      if (p.nextToken() != JsonToken.START_ARRAY || !field.equals("items")) {
        root.set(field, p.readValueAsTree());
        continue;
      }
      hasItems = true;
      for (int index = 1; p.nextToken() != JsonToken.END_ARRAY; index++) {
        String itemWhere = itemWhere(index, line(p));
        JsonNode node = p.readValueAsTree();
        Pending item = new Pending(fields(node), node, itemWhere);
        if (item.fields.kindPresent || root.has("kind")) {
          accept(item.fields, node, itemWhere, fields(root));
        } else {
          waiting.add(item);
        }
      }
    }
    ObjectFields list = fields(root);
    if (list.kind == null) {
      throw fail(where + " has no kind");
    }
    if (hasItems) {
      for (Pending item : waiting) {
        accept(item.fields, item.tree, item.where, list);
      }
    } else {
      accept(list, root, where, null);
    }
  }

  private static ObjectFields fields(JsonNode tree) {
    try (JsonParser p = DumpFormat.JSON.treeAsTokens(tree)) {
      p.nextToken();
      return ObjectFields.read(p, null);
    }
  }

  /**
   * One object; a list nested in a list's item is read from its items kept aside.
   *
   * @param tree the object as written, when parsed whole
   */
  private void accept(ObjectFields f, JsonNode tree, String where, ObjectFields list)
      throws InputException {
    if (f.notAnObject) {
      throw fail(where + " is not a Kubernetes object");
    }
    String kind = f.kind;
    String apiVersion = f.apiVersion;
    if (kind == null && list != null && isList(list.kind)) {
      kind = list.kind.equals("List") ? null : list.kind.substring(0, list.kind.length() - 4);
      apiVersion = list.apiVersion;
    }
    if (kind == null) {
      throw fail(where + " has no kind");
    }
    if (isList(kind)) {
      if (f.itemsNotAList) {
        throw fail(where + ": items is not a list");
      }
      for (int i = 0; i < f.nested.size(); i++) {
        JsonNode item = tree == null ? null : tree.get("items").get(i);
        accept(f.nested.get(i), item, "item " + (i + 1) + " of " + where, f);
      }
      return;
    }
    RecordKind type = RecordKind.of(kind, apiVersion);
    if (type == null) {
      return; // Deployments, ConfigMaps, ... are not spinclean's business
    }
    if (!f.named) {
      throw fail(kind + " at " + where + " has no metadata.name");
    }
    String named = kind + " " + f.name + " at " + where;
    Object record;
    try {
      record =
          switch (type) {
            case REPLICA_SET -> ObjectTypes.replicaSet(f);
            case POD -> ObjectTypes.pod(f);
            case SERVICE -> ObjectTypes.service(f);
          };
    } catch (ObjectTypes.Invalid e) {
      throw fail(named + " is not a valid " + kind + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InputException(source + ": " + named + ": " + e.getMessage(), e);
    }
    sink.accept(new Item(record, named, tree));
  }

  private static boolean isList(String kind) {
    return kind != null && kind.endsWith("List");
  }

  private String itemWhere(int index, int line) {
    String of = document > 1 ? " of document " + document : "";
    return "item " + index + of + " (line " + line + ")";
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private InputException fail(String what) {
    return new InputException(source + ": " + what);
  }

  private record Pending(ObjectFields fields, JsonNode tree, String where) {}
}
