package io.spinclean.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test-only: the kustomize {@code patches} that deploy/ uses, applied as kustomize does, and
 * nothing else (anything else fails, naming the kustomization): an inline strategic-merge patch
 * that is only {@code $patch: delete} (the object of that apiVersion, kind and name goes), and an
 * inline JSON 6902 patch (RFC 6902) on a {@code target} (kind and name, optionally group and
 * version) with the operations {@code test}, {@code replace} and {@code add}.
 */
final class Patches {
  private static final Set<String> FIELDS = Set.of("patch", "target");
  private static final Set<String> TARGET = Set.of("group", "version", "kind", "name");
  private static final Set<String> DELETE = Set.of("$patch", "apiVersion", "kind", "metadata");

  private Patches() {}

  static void apply(String where, JsonNode entry, List<ObjectNode> objects) {
    entry
        .propertyNames()
        .forEach(
            f -> {
              if (!FIELDS.contains(f)) {
                throw new IllegalStateException(where + ": unsupported patch field " + f);
              }
            });
    JsonNode patch = Kustomize.YAML.readTree(entry.path("patch").stringValue(""));
    if (patch.isArray()) {
      json6902(where, entry.path("target"), (ArrayNode) patch, objects);
    } else if (entry.has("target")
        || !"delete".equals(patch.path("$patch").stringValue(""))
        || !DELETE.containsAll(new ArrayList<>(patch.propertyNames()))
        || !new ArrayList<>(patch.path("metadata").propertyNames()).equals(List.of("name"))) {
      throw new IllegalStateException(where + ": unsupported patch " + patch);
    } else {
      ObjectNode gone =
          one(
              where,
              objects,
              o ->
                  o.path("apiVersion").equals(patch.path("apiVersion"))
                      && o.path("kind").equals(patch.path("kind"))
                      && o.path("metadata")
                          .path("name")
                          .equals(patch.path("metadata").path("name")));
      objects.remove(gone);
    }
  }

  private static void json6902(
      String where, JsonNode target, ArrayNode ops, List<ObjectNode> objects) {
    target
        .propertyNames()
        .forEach(
            f -> {
              if (!TARGET.contains(f)) {
                throw new IllegalStateException(where + ": unsupported target field " + f);
              }
            });
    ObjectNode object =
        one(
            where,
            objects,
            o -> {
              String apiVersion = o.path("apiVersion").stringValue();
              String group =
                  apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
              String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
              return o.path("kind").equals(target.path("kind"))
                  && o.path("metadata").path("name").equals(target.path("name"))
                  && (!target.has("group") || target.path("group").stringValue().equals(group))
                  && (!target.has("version")
                      || target.path("version").stringValue().equals(version));
            });
    for (JsonNode op : ops) {
      String path = op.path("path").stringValue();
      int slash = path.lastIndexOf('/');
      JsonNode parent = object.at(path.substring(0, slash));
      String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      JsonNode value = op.path("value");
      switch (op.path("op").stringValue("")) {
        case "test" -> {
          if (!object.at(path).equals(value)) {
            throw new IllegalStateException(where + ": test failed: " + op);
          }
        }
        case "replace" -> {
          if (object.at(path).isMissingNode()) {
            throw new IllegalStateException(where + ": nothing to replace at " + path);
          }
          set(parent, last, value, false);
        }
        case "add" -> set(parent, last, value, true);
        default -> throw new IllegalStateException(where + ": unsupported operation " + op);
      }
    }
  }

  private static void set(JsonNode parent, String key, JsonNode value, boolean insert) {
    if (parent instanceof ArrayNode array) {
      if (key.equals("-")) {
        array.add(value.deepCopy());
      } else if (insert) {
        array.insert(Integer.parseInt(key), value.deepCopy());
      } else {
        array.set(Integer.parseInt(key), value.deepCopy());
      }
    } else if (parent instanceof ObjectNode object) {
      object.set(key, value.deepCopy());
    } else {
      throw new IllegalStateException("no object or array to patch: " + parent);
    }
  }

  private static ObjectNode one(
      String where, List<ObjectNode> objects, java.util.function.Predicate<ObjectNode> match) {
    List<ObjectNode> found = objects.stream().filter(match).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(where + ": a patch matches " + found.size() + " objects");
    }
    return found.get(0);
  }
}
