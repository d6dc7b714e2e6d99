package io.spinclean.kube.embedded;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** One client DELETE in progress on the embedded server's request thread, and its options. */
final class DeleteRequest {
  enum Policy {
    BACKGROUND,
    FOREGROUND,
    ORPHAN
  }

  /** The parts of a DeleteOptions body the embedded server honours; empty strings = absent. */
  record Options(String uid, String resourceVersion, Policy policy) {
    static Options of(byte[] body) {
      JsonNode json = body.length == 0 ? EmbeddedStore.JSON.missingNode() : parse(body);
      JsonNode pre = json.path("preconditions");
      Policy policy =
          switch (json.path("propagationPolicy").asString("")) {
            case "Foreground" -> Policy.FOREGROUND;
            case "Orphan" -> Policy.ORPHAN;
            default ->
                json.path("orphanDependents").asBoolean(false) ? Policy.ORPHAN : Policy.BACKGROUND;
          };
      return new Options(
          pre.path("uid").asString(""), pre.path("resourceVersion").asString(""), policy);
    }

    private static JsonNode parse(byte[] body) {
      return EmbeddedStore.parse(new String(body, StandardCharsets.UTF_8));
    }
  }

  private final String path;
  private final Options options;
  private String conflict;
  private boolean busy;

  DeleteRequest(String path, Options options) {
    this.path = path;
    this.options = options;
  }

  /** True for a change the mock makes to an object the DELETE names (not a dependent's). */
  boolean claim(String changed) {
    if (busy || !path.equals(changed)) {
      return false;
    }
    busy = true;
    return true;
  }

  void release() {
    busy = false;
  }

  Options options() {
    return options;
  }

  /** The 409 Status body, when a precondition failed. */
  String conflict() {
    return conflict;
  }

  void conflict(String status) {
    conflict = status;
  }
}
