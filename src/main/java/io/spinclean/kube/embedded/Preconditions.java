package io.spinclean.kube.embedded;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A DELETE's {@code preconditions}, checked as the Kubernetes API server checks them before a
 * delete ({@code k8s.io/apiserver/pkg/registry/rest.BeforeDelete}): the uid first, then the
 * resourceVersion; a mismatch is a 409 Conflict whose Status names the kind and its group.
 */
final class Preconditions {
  private Preconditions() {}

  /**
   * Checks the preconditions against the stored object.
   *
   * @param object the stored object
   * @return the 409 Status body, or null when the preconditions hold (or there are none)
   */
  static String failure(DeleteRequest.Options options, JsonNode object) {
    JsonNode meta = object.path("metadata");
    String uid = meta.path("uid").asString("");
    String resourceVersion = meta.path("resourceVersion").asString("");
    if (!options.uid().isEmpty() && !options.uid().equals(uid)) {
      return conflict(
          object,
          "the UID in the precondition ("
              + options.uid()
              + ") does not match the UID in record ("
              + uid
              + "). The object might have been deleted and then recreated");
    }
    if (!options.resourceVersion().isEmpty()
        && !options.resourceVersion().equals(resourceVersion)) {
      return conflict(
          object,
          "the ResourceVersion in the precondition ("
              + options.resourceVersion()
              + ") does not match the ResourceVersion in record ("
              + resourceVersion
              + "). The object might have been modified");
    }
    return null;
  }

  /** {@code errors.NewConflict(GroupResource{group, kind}, name, err)} as JSON. */
  private static String conflict(JsonNode object, String why) {
    String apiVersion = object.path("apiVersion").asString("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = object.path("kind").asString("");
    String name = object.path("metadata").path("name").asString("");
    ObjectNode status = EmbeddedStore.JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put(
        "message",
        "Operation cannot be fulfilled on "
            + kind
            + (group.isEmpty() ? "" : "." + group)
            + " \""
            + name
            + "\": "
            + why);
    status.put("reason", "Conflict");
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", kind);
    status.put("code", 409);
    return EmbeddedStore.JSON.writeValueAsString(status);
  }
}
