package io.spinclean.kube.apply;

import io.spinclean.core.Pod;
import io.spinclean.core.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON Patches (RFC 6902) with which {@code --drain} takes Service selector labels off a
 * version, as Spinnaker's Disable does: first its pod template, then each pod. Each patch first
 * tests the object's uid, so it never applies to a namesake made since it was read.
 */
final class LabelPatch {
  private LabelPatch() {}

  /**
   * Removes {@code keys} (all present) from the template of ReplicaSet {@code uid}, only at {@code
   * resourceVersion}: the API server answers 422 or 409 when it changed since.
   */
  static List<Map<String, Object>> template(String uid, String resourceVersion, List<String> keys) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(op("test", "/metadata/uid", uid));
    ops.add(op("replace", "/metadata/resourceVersion", resourceVersion));
    for (String key : keys) {
      ops.add(op("remove", "/spec/template/metadata/labels/" + escape(key), null));
    }
    return ops;
  }

  /** Removes those of {@code keys} that {@code pod} carries. */
  static List<Map<String, Object>> pod(Pod pod, List<String> keys) {
    List<Map<String, Object>> ops = new ArrayList<>();
    if (!pod.uid().isEmpty()) {
      // Never a namesake made since it was read (issue 10, item 11): 422 then, and a re-list.
      ops.add(op("test", "/metadata/uid", pod.uid()));
    }
    for (String key : keys) {
      if (pod.labels().containsKey(key)) {
        ops.add(op("remove", "/metadata/labels/" + escape(key), null));
      }
    }
    return ops;
  }

  /** Every key of every Service selector, sorted so requests are deterministic. */
  static List<String> selectorKeys(List<Service> services) {
    TreeSet<String> keys = new TreeSet<>();
    services.forEach(s -> keys.addAll(s.selector().keySet()));
    return List.copyOf(keys);
  }

  /** A label key as one JSON Pointer token (RFC 6901): '~' becomes "~0", '/' becomes "~1". */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, Object> op(String op, String path, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    if (value != null) {
      m.put("value", value);
    }
    return m;
  }
}
