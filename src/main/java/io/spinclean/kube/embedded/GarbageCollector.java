package io.spinclean.kube.embedded;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Kubernetes API server does with a DELETE, and its garbage collector after it, as far as
 * spinclean depends on it, for the embedded server:
 *
 * <ul>
 *   <li>{@code preconditions} (uid, then resourceVersion) are checked against the stored object; a
 *       mismatch answers 409 with the Status a real server sends (apiserver {@code
 *       rest.BeforeDelete}) and changes nothing;
 *   <li>{@code propagationPolicy} Background (the default, as for {@code apps/v1} through the API):
 *       the object goes, then its dependents are collected at once;
 *   <li>Foreground: the object gets a {@code deletionTimestamp} and the {@code foregroundDeletion}
 *       finalizer, its dependents are deleted, and the object goes once no dependent whose
 *       reference has {@code blockOwnerDeletion: true} is left (pods with finalizers of their own
 *       hold it, visibly, as on a real cluster); Orphan (or {@code orphanDependents: true}): the
 *       references to it are removed from its dependents, then it goes.
 * </ul>
 *
 * <p>Dependents are the pods of its namespace with an ownerReference naming its uid. A dependent
 * that also names another owner still stored loses only that reference, as the real collector does;
 * else it is deleted (its own finalizers honoured), with the DELETED watch events of any delete.
 * Unlike the real collector, which works asynchronously, this one acts within the request, so tests
 * need not wait; what a client can observe (the owner gone or held, the pods gone or terminating)
 * is the same once the real one has caught up.
 */
final class GarbageCollector {
  static final String FOREGROUND = "foregroundDeletion";

  private final EmbeddedStore store;

  GarbageCollector(EmbeddedStore store) {
    this.store = store;
  }

  /** A client's DELETE of the object under {@code key}, as the mock would do it: {@code next}. */
  void delete(
      DeleteRequest request,
      String path,
      AttributeSet pathAttributes,
      AttributeSet key,
      GenericKubernetesResource resource,
      String next) {
    JsonNode object = EmbeddedStore.parse(store.current(key));
    request.conflict(Preconditions.failure(request.options(), object));
    if (request.conflict() != null) {
      return; // a real server changes nothing
    }
    String namespace = object.path("metadata").path("namespace").asString("");
    String uid = object.path("metadata").path("uid").asString("");
    switch (request.options().policy()) {
      case ORPHAN -> {
        for (Map.Entry<AttributeSet, String> pod : dependents(namespace, uid)) {
          dropReference(pod, uid);
        }
        store.store(path, pathAttributes, key, resource, next);
      }
      case FOREGROUND -> {
        ObjectNode marked = (ObjectNode) object.deepCopy();
        ObjectNode meta = (ObjectNode) marked.get("metadata");
        if (!meta.has("deletionTimestamp")) {
          meta.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        ArrayNode finalizers =
            meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
        if (!strings(finalizers).contains(FOREGROUND)) {
          finalizers.add(FOREGROUND);
        }
        meta.put("resourceVersion", store.nextResourceVersion());
        store.replace(path, key, EmbeddedStore.JSON.writeValueAsString(marked));
        collect(namespace, uid);
        finishForeground(namespace, uid);
      }
      case BACKGROUND -> store.store(path, pathAttributes, key, resource, next);
    }
  }

  /** Called for every object removed from the store: collects its dependents, frees its owners. */
  void removed(String json) {
    JsonNode object = EmbeddedStore.parse(json);
    JsonNode meta = object.path("metadata");
    String namespace = meta.path("namespace").asString("");
    String uid = meta.path("uid").asString("");
    if (!"Pod".equals(object.path("kind").asString("")) && !uid.isEmpty()) {
      collect(namespace, uid);
    }
    for (JsonNode ref : meta.path("ownerReferences")) {
      finishForeground(namespace, ref.path("uid").asString(""));
    }
  }

  /** Deletes the dependents of a gone (or going) owner, or drops the reference to it. */
  private void collect(String namespace, String ownerUid) {
    for (Map.Entry<AttributeSet, String> pod : dependents(namespace, ownerUid)) {
      JsonNode meta = EmbeddedStore.parse(pod.getValue()).path("metadata");
      boolean anotherOwner = false;
      for (JsonNode ref : meta.path("ownerReferences")) {
        String other = ref.path("uid").asString("");
        anotherOwner |= !other.equals(ownerUid) && exists(namespace, other);
      }
      if (anotherOwner) {
        dropReference(pod, ownerUid);
      } else {
        store.delete(podPath(namespace, meta.path("name").asString("")));
      }
    }
  }

  /** A foreground deletion ends when no blocking dependent is left: the finalizer goes. */
  private void finishForeground(String namespace, String ownerUid) {
    if (ownerUid.isEmpty()) {
      return;
    }
    for (String json : store.all()) {
      if (!json.contains(FOREGROUND) || !json.contains(ownerUid)) {
        continue;
      }
      JsonNode owner = EmbeddedStore.parse(json);
      JsonNode meta = owner.path("metadata");
      if (!ownerUid.equals(meta.path("uid").asString(""))
          || !namespace.equals(meta.path("namespace").asString(""))
          || !strings(meta.path("finalizers")).contains(FOREGROUND)) {
        continue;
      }
      boolean blocked =
          dependents(namespace, ownerUid).stream()
              .anyMatch(pod -> blocks(EmbeddedStore.parse(pod.getValue()), ownerUid));
      if (blocked) {
        return;
      }
      String path = path(owner);
      AttributeSet key =
          store.entries(path).stream()
              .filter(e -> e.getValue().equals(json))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      if (key == null) {
        return;
      }
      ObjectNode updated = (ObjectNode) owner.deepCopy();
      ArrayNode left = ((ObjectNode) updated.get("metadata")).putArray("finalizers");
      strings(meta.path("finalizers")).stream()
          .filter(f -> !f.equals(FOREGROUND))
          .forEach(left::add);
      if (left.isEmpty()) {
        store.remove(path, key);
      } else {
        ((ObjectNode) updated.get("metadata")).put("resourceVersion", store.nextResourceVersion());
        store.replace(path, key, EmbeddedStore.JSON.writeValueAsString(updated));
      }
      return;
    }
  }

  private static boolean blocks(JsonNode pod, String ownerUid) {
    for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
      if (ownerUid.equals(ref.path("uid").asString(""))
          && ref.path("blockOwnerDeletion").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /** The pods of the namespace whose ownerReferences name {@code ownerUid}. */
  private List<Map.Entry<AttributeSet, String>> dependents(String namespace, String ownerUid) {
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
    if (ownerUid.isEmpty()) {
      return found;
    }
    for (Map.Entry<AttributeSet, String> pod : store.entries(podPath(namespace, ""))) {
      if (!pod.getValue().contains(ownerUid)) {
        continue;
      }
      for (JsonNode ref :
          EmbeddedStore.parse(pod.getValue()).path("metadata").path("ownerReferences")) {
        if (ownerUid.equals(ref.path("uid").asString(""))) {
          found.add(pod);
          break;
        }
      }
    }
    return found;
  }

  private void dropReference(Map.Entry<AttributeSet, String> pod, String ownerUid) {
    ObjectNode updated = (ObjectNode) EmbeddedStore.parse(pod.getValue()).deepCopy();
    ObjectNode meta = (ObjectNode) updated.get("metadata");
    ArrayNode kept = EmbeddedStore.JSON.createArrayNode();
    for (JsonNode ref : meta.path("ownerReferences")) {
      if (!ownerUid.equals(ref.path("uid").asString(""))) {
        kept.add(ref);
      }
    }
    meta.set("ownerReferences", kept);
    meta.put("resourceVersion", store.nextResourceVersion());
    String path = podPath(meta.path("namespace").asString(""), meta.path("name").asString(""));
    store.replace(path, pod.getKey(), EmbeddedStore.JSON.writeValueAsString(updated));
  }

  private boolean exists(String namespace, String uid) {
    if (uid.isEmpty()) {
      return false;
    }
    for (String json : store.all()) {
      if (json.contains(uid)) {
        JsonNode meta = EmbeddedStore.parse(json).path("metadata");
        if (uid.equals(meta.path("uid").asString(""))
            && namespace.equals(meta.path("namespace").asString(""))) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    for (JsonNode v : array) {
      values.add(v.asString(""));
    }
    return values;
  }

  static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/pods" + (name.isEmpty() ? "" : "/" + name);
  }

  /** The object's own path: {@code /apis/apps/v1/namespaces/x/replicasets/name} and the like. */
  private static String path(JsonNode object) {
    String apiVersion = object.path("apiVersion").asString("v1");
    JsonNode meta = object.path("metadata");
    return (apiVersion.contains("/") ? "/apis/" : "/api/")
        + apiVersion
        + "/namespaces/"
        + meta.path("namespace").asString("")
        + "/"
        + object.path("kind").asString("").toLowerCase(Locale.ROOT)
        + "s/"
        + meta.path("name").asString("");
  }
}
