package io.spinclean.kube.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * What the planner reads of one Kubernetes object, taken from a stream token by token; every other
 * field is skipped without being built ({@code skipChildren()}: container specs, statuses, {@code
 * managedFields}, the {@code last-applied-configuration} annotation). Kind-neutral: {@link
 * ObjectTypes} makes a ReplicaSet, Pod or Service of it once the kind is known, which in a list
 * whose items leave out their kind is only after the list's {@code kind}, at its end.
 *
 * <p>A value of the wrong type is not an error here: it is remembered ({@link CheckedReads}), and
 * {@link ObjectTypes} reports the first one that matters for the kind, as fabric8's bean mapping
 * would have. {@code spec.selector} is kept as a small tree, since it is a label selector for a
 * ReplicaSet and a map for a Service.
 */
final class ObjectFields extends CheckedReads {
  /** Reads the {@code items} array of the object being read; called at its {@code [}. */
  @FunctionalInterface
  interface Items<E extends Exception> {
    void read(JsonParser p, ObjectFields list) throws E;
  }

  /** A value of the wrong type: "spec.replicas: Cannot deserialize ..." and where it was. */
  record Invalid(String message, int order) {}

  boolean notAnObject;
  boolean kindPresent;
  String kind;
  String apiVersion;
  boolean hasMetadata;

  /** metadata.name is a non-empty JSON string, what a dump's object needs to be read. */
  boolean named;

  String name;
  String namespace;
  String uid;
  String resourceVersion;
  String creationTimestamp;
  boolean deleting;
  Map<String, String> labels;
  Map<String, String> annotations;

  /** The uids of the ownerReferences with {@code controller: true}, in order (null: none given). */
  final List<String> controllers = new ArrayList<>();

  boolean hasSpec;
  Integer replicas;
  Map<String, String> templateLabels;
  JsonNode selector;
  int selectorOrder;
  boolean ready;

  boolean hasItems;
  boolean itemsNotAList;

  /** The items of a list nested in a list item (kubectl never nests lists; a dump might). */
  final List<ObjectFields> nested = new ArrayList<>();

  private ObjectFields() {}

  /**
   * Reads one value, an object or not, leaving {@code p} at its last token.
   *
   * @param items reads a top-level {@code items} array; null keeps its objects in {@link #nested}
   */
  static <E extends Exception> ObjectFields read(JsonParser p, Items<E> items) throws E {
    ObjectFields f = new ObjectFields();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      f.notAnObject = true;
      p.skipChildren();
      return f;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      f.order++;
      switch (field) {
        case "kind" -> {
          f.kindPresent = true;
          f.kind = Leaves.text(p);
        }
        case "apiVersion" -> f.apiVersion = Leaves.text(p);
        case "metadata" -> f.metadata(p);
        case "spec" -> f.spec(p);
        case "status" -> f.status(p);
        case "items" -> {
          if (t == JsonToken.START_ARRAY) {
            f.hasItems = true;
            if (items != null) {
              items.read(p, f);
            } else {
              while (p.nextToken() != JsonToken.END_ARRAY) {
                f.nested.add(read(p, null));
              }
            }
          } else {
            f.itemsNotAList = t != JsonToken.VALUE_NULL;
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return f;
  }

  private void metadata(JsonParser p) {
    if (!object(p, "metadata", false)) {
      return;
    }
    hasMetadata = true;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      order++;
      String path = "metadata." + field;
      switch (field) {
        case "name" -> {
          named = t == JsonToken.VALUE_STRING && !p.getString().isEmpty();
          name = string(p, path, false);
        }
        case "namespace" -> namespace = string(p, path, false);
        case "uid" -> uid = string(p, path, false);
        case "resourceVersion" -> resourceVersion = string(p, path, false);
        case "creationTimestamp" -> creationTimestamp = string(p, path, false);
        case "deletionTimestamp" -> deleting = string(p, path, false) != null;
        case "labels" -> labels = map(p, path, false, false);
        case "annotations" -> annotations = map(p, path, false, true);
        case "ownerReferences" -> ownerReferences(p, path);
        default -> p.skipChildren();
      }
    }
  }

  private void ownerReferences(JsonParser p, String path) {
    if (!array(p, path, false)) {
      return;
    }
    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
      String at = path + "[" + i + "]";
      if (!object(p, at, false)) {
        continue;
      }
      String refUid = null;
      Boolean controller = null;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "uid" -> refUid = string(p, at + ".uid", false);
          case "controller" -> controller = bool(p, at + ".controller");
          default -> p.skipChildren();
        }
      }
      if (Boolean.TRUE.equals(controller)) {
        controllers.add(refUid);
      }
    }
  }

  private void spec(JsonParser p) {
    if (!object(p, "spec", false)) {
      return;
    }
    hasSpec = true;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      p.nextToken();
      order++;
      switch (field) {
        case "replicas" -> replicas(p);
        case "selector" -> {
          selectorOrder = order;
          selector = Leaves.tree(p);
        }
        case "template" -> template(p);
        default -> p.skipChildren();
      }
    }
  }

  private void replicas(JsonParser p) {
    try {
      replicas = Leaves.goInteger(p);
    } catch (Leaves.Wrong e) {
      remember("spec.replicas" + e.getMessage(), true);
    }
  }

  /** {@code spec.template.metadata.labels}, a ReplicaSet's only (a Pod has no template). */
  private void template(JsonParser p) {
    if (!object(p, "spec.template", true)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      boolean meta = p.currentName().equals("metadata");
      p.nextToken();
      order++;
      if (!meta || !object(p, "spec.template.metadata", true)) {
        p.skipChildren();
        continue;
      }
      templateLabels = Map.of();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        boolean labelsField = p.currentName().equals("labels");
        p.nextToken();
        order++;
        if (labelsField) {
          templateLabels = map(p, "spec.template.metadata.labels", true, false);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** {@code status.conditions}: Ready is True (strings in all three kinds' conditions). */
  private void status(JsonParser p) {
    if (!object(p, "status", false)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      boolean conditions = p.currentName().equals("conditions");
      p.nextToken();
      order++;
      if (!conditions || !array(p, "status.conditions", false)) {
        p.skipChildren();
        continue;
      }
      for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
        String at = "status.conditions[" + i + "]";
        if (!object(p, at, false)) {
          continue;
        }
        String type = null;
        String state = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          p.nextToken();
          switch (field) {
            case "type" -> type = string(p, at + ".type", false);
            case "status" -> state = string(p, at + ".status", false);
            default -> p.skipChildren();
          }
        }
        ready |= "Ready".equals(type) && "True".equals(state);
      }
    }
  }
}
