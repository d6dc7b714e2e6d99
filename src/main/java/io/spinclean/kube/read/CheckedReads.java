package io.spinclean.kube.read;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads of a value of an expected type for {@link ObjectFields} that never fail: a value of the
 * wrong type is remembered, in document order, as the kind it matters for (a Pod has no {@code
 * spec.replicas}), and read as absent; {@link ObjectTypes} reports the first one that matters.
 */
abstract class CheckedReads {
  /** The first wrong value that matters for every kind, and the first for ReplicaSets only. */
  ObjectFields.Invalid invalid;

  ObjectFields.Invalid invalidForReplicaSet;

  /** The number of fields read so far, the order of a wrong value remembered now. */
  int order;

  /** At an object: true. At null: false. Else the wrong type is remembered and skipped. */
  final boolean object(JsonParser p, String path, boolean replicaSetOnly) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      return true;
    }
    if (t != JsonToken.VALUE_NULL) {
      remember(path + ": expected an object, not " + Leaves.describe(p), replicaSetOnly);
      p.skipChildren();
    }
    return false;
  }

  final boolean array(JsonParser p, String path, boolean replicaSetOnly) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_ARRAY) {
      return true;
    }
    if (t != JsonToken.VALUE_NULL) {
      remember(path + ": expected a list, not " + Leaves.describe(p), replicaSetOnly);
      p.skipChildren();
    }
    return false;
  }

  final String string(JsonParser p, String path, boolean replicaSetOnly) {
    try {
      return Leaves.string(p);
    } catch (Leaves.Wrong e) {
      remember(path + e.getMessage(), replicaSetOnly);
      return null;
    }
  }

  final Boolean bool(JsonParser p, String path) {
    try {
      return Leaves.bool(p);
    } catch (Leaves.Wrong e) {
      remember(path + e.getMessage(), false);
      return null;
    }
  }

  /** A map of strings; null values dropped; with {@code spinnakerOnly}, other keys skipped. */
  final Map<String, String> map(
      JsonParser p, String path, boolean replicaSetOnly, boolean spinnakerOnly) {
    Map<String, String> map = new HashMap<>();
    try {
      Leaves.map(p, spinnakerOnly, map);
    } catch (Leaves.Wrong e) {
      remember(path + e.getMessage(), replicaSetOnly);
    }
    return map;
  }

  final void remember(String message, boolean replicaSetOnly) {
    ObjectFields.Invalid found = new ObjectFields.Invalid(message, order);
    if (replicaSetOnly) {
      invalidForReplicaSet = invalidForReplicaSet == null ? found : invalidForReplicaSet;
    } else {
      invalid = invalid == null ? found : invalid;
    }
  }
}
