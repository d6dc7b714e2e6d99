package io.spinclean.kube.read;

import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Selector;
import io.spinclean.core.Service;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * {@link ObjectFields} to the core records, with the rules and the messages of {@link
 * SnapshotMapper} (which maps fabric8 objects for the executor and the controller; {@code
 * ObjectTypesTest} holds the two to the same records and messages).
 *
 * <p>Two kinds of failure: {@link Invalid}, a value of the wrong type (where fabric8 could not have
 * built the object), and {@link IllegalArgumentException}, a value the planner cannot use (e.g.
 * {@code metadata.creationTimestamp is not an RFC 3339 time: "yesterday"}).
 */
final class ObjectTypes {
  /** A value of the wrong type, e.g. "spec.replicas: Cannot deserialize value of type ...". */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private ObjectTypes() {}

  static ReplicaSet replicaSet(ObjectFields f) throws Invalid {
    Selector selector = null;
    ObjectFields.Invalid wrong = first(f.invalid, f.invalidForReplicaSet);
    try {
      selector = labelSelector(f.selector);
    } catch (Leaves.Wrong e) {
      wrong =
          first(wrong, new ObjectFields.Invalid("spec.selector" + e.getMessage(), f.selectorOrder));
    }
    if (wrong != null) {
      throw new Invalid(wrong.message());
    }
    requireName(f);
    // spec.replicas defaults to 1 in the API server when it is left out.
    int replicas = f.replicas == null ? 1 : f.replicas;
    if (replicas < 0) {
      throw new IllegalArgumentException("spec.replicas is negative: " + replicas);
    }
    return new ReplicaSet(
        namespace(f),
        f.name,
        f.uid,
        f.resourceVersion,
        createdAt(f.creationTimestamp),
        !f.controllers.isEmpty(),
        f.deleting,
        orEmpty(f.annotations),
        orEmpty(f.labels),
        orEmpty(f.templateLabels),
        replicas,
        selector);
  }

  static Pod pod(ObjectFields f) throws Invalid {
    if (f.invalid != null) {
      throw new Invalid(f.invalid.message());
    }
    requireName(f);
    return new Pod(
        namespace(f),
        f.name,
        f.uid,
        controllerUid(f.controllers),
        orEmpty(f.labels),
        f.ready,
        f.deleting);
  }

  static Service service(ObjectFields f) throws Invalid {
    Map<String, String> selector = new HashMap<>();
    ObjectFields.Invalid wrong = f.invalid;
    try {
      if (f.selector != null) {
        Leaves.map(tokens(f.selector), false, selector);
      }
    } catch (Leaves.Wrong e) {
      wrong =
          first(wrong, new ObjectFields.Invalid("spec.selector" + e.getMessage(), f.selectorOrder));
    }
    if (wrong != null) {
      throw new Invalid(wrong.message());
    }
    requireName(f);
    return new Service(namespace(f), f.name, selector);
  }

  /** The first in document order; either may be null. */
  private static ObjectFields.Invalid first(ObjectFields.Invalid a, ObjectFields.Invalid b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return b.order() < a.order() ? b : a;
  }

  /**
   * {@code spec.selector} as written, as {@link SnapshotMapper#selector}: nothing is dropped, a
   * null label value is the empty string, a null requirement has no key.
   */
  private static Selector labelSelector(JsonNode tree) throws Leaves.Wrong {
    if (tree == null || tree.isNull()) {
      return Selector.of(Map.of());
    }
    JsonParser p = tokens(tree);
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new Leaves.Wrong(": expected an object, not " + Leaves.describe(p));
    }
    Map<String, String> matchLabels = new HashMap<>();
    List<Selector.Requirement> expressions = new ArrayList<>();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("matchLabels") && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          p.nextToken();
          String value = leaf(p, ".matchLabels." + key);
          matchLabels.put(key, value == null ? "" : value);
        }
      } else if (field.equals("matchLabels")) {
        Map<String, String> coerced = new HashMap<>();
        try {
          Leaves.map(p, false, coerced);
        } catch (Leaves.Wrong e) {
          throw new Leaves.Wrong(".matchLabels" + e.getMessage());
        }
        matchLabels.putAll(coerced);
      } else if (field.equals("matchExpressions") && t == JsonToken.START_ARRAY) {
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
          expressions.add(requirement(p, ".matchExpressions[" + i + "]"));
        }
      } else if (field.equals("matchExpressions") && t != JsonToken.VALUE_NULL) {
        throw new Leaves.Wrong(".matchExpressions: expected a list, not " + Leaves.describe(p));
      } else {
        p.skipChildren();
      }
    }
    return new Selector(matchLabels, expressions);
  }

  private static Selector.Requirement requirement(JsonParser p, String path) throws Leaves.Wrong {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return new Selector.Requirement("", "", List.of());
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new Leaves.Wrong(path + ": expected an object, not " + Leaves.describe(p));
    }
    String key = null;
    String operator = null;
    List<String> values = new ArrayList<>();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "key" -> key = leaf(p, path + ".key");
        case "operator" -> operator = leaf(p, path + ".operator");
        case "values" -> {
          values.clear();
          if (t == JsonToken.START_ARRAY) {
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
              String value = leaf(p, path + ".values[" + i + "]");
              values.add(value == null ? "" : value);
            }
          } else if (t != JsonToken.VALUE_NULL) {
            throw new Leaves.Wrong(path + ".values: expected a list, not " + Leaves.describe(p));
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Selector.Requirement(key, operator, values);
  }

  private static String leaf(JsonParser p, String path) throws Leaves.Wrong {
    try {
      return Leaves.string(p);
    } catch (Leaves.Wrong e) {
      throw new Leaves.Wrong(path + e.getMessage());
    }
  }

  private static JsonParser tokens(JsonNode tree) {
    JsonParser p = Leaves.JSON.treeAsTokens(tree);
    p.nextToken();
    return p;
  }

  private static void requireName(ObjectFields f) {
    if (!f.hasMetadata || f.name == null || f.name.isEmpty()) {
      throw new IllegalArgumentException("metadata.name is missing");
    }
  }

  private static String namespace(ObjectFields f) {
    return f.namespace == null || f.namespace.isEmpty()
        ? SnapshotMapper.DEFAULT_NAMESPACE
        : f.namespace;
  }

  /** Kubernetes writes RFC 3339 times ({@code 2020-07-24T17:59:52Z}); none at all is the epoch. */
  static Instant createdAt(String text) {
    if (text == null || text.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "metadata.creationTimestamp is not an RFC 3339 time: \"" + text + "\"", e);
    }
  }

  /**
   * The uid of the pod's controlling ownerReference, or empty (rule 3 in docs/decisions.md); the
   * API server allows one controller, and one without a uid names nothing.
   */
  static String controllerUid(List<String> controllers) {
    if (controllers.size() > 1 || (controllers.size() == 1 && isEmpty(controllers.get(0)))) {
      throw new IllegalArgumentException(
          "metadata.ownerReferences: "
              + (isEmpty(controllers.get(0))
                  ? "the controller has no uid"
                  : "more than one has controller: true"));
    }
    return controllers.isEmpty() ? "" : controllers.get(0);
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /**
   * The annotation domains the planner reads (docs/spinnaker-semantics.md#identity): Spinnaker's
   * and spinclean's own. The one copy of the rule; {@link SnapshotMapper} calls it too.
   */
  static boolean isSpinnakerKey(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String prefix = key.substring(0, slash);
    return prefix.equals("spinnaker.io")
        || prefix.endsWith(".spinnaker.io")
        || prefix.equals("spinclean.io")
        || prefix.endsWith(".spinclean.io");
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
