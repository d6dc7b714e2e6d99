package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.PreconditionsBuilder;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.kube.Requests;
import java.io.IOException;

/**
 * The DELETE of one version, with preconditions (uid and a resourceVersion), and what its answer
 * means for the report. A 404 is someone else's delete, unless an earlier attempt of ours may have
 * been carried out while its answer was lost (a 5xx, a timeout): then it is ours, DELETED, and
 * counts as a deletion wherever deletions are counted (watch's {@code --max-deletions-per-hour}).
 */
final class Deletes {
  static final String CONFLICT =
      "changed since the fresh snapshot: the API server refused the delete (409 Conflict)";

  private final Requests requests;
  private final ApplyOptions.Cascade cascade;

  Deletes(Requests requests, ApplyOptions.Cascade cascade) {
    this.requests = requests;
    this.cascade = cascade;
  }

  DeletionResult delete(Target target, String resourceVersion, Drainer.Drained drained)
      throws InterruptedException {
    DeleteOptions body =
        new DeleteOptionsBuilder()
            .withApiVersion("v1")
            .withKind("DeleteOptions")
            .withPreconditions(
                new PreconditionsBuilder()
                    .withUid(target.uid())
                    .withResourceVersion(resourceVersion)
                    .build())
            .withPropagationPolicy(cascade.propagationPolicy())
            .build();
    Requests.Reply reply;
    try {
      reply = requests.delete(target.path(), body);
    } catch (IOException e) {
      return result(
          target,
          Outcome.FAILED,
          drained.drained(),
          requests.describe("delete", "replicasets", target.namespace(), e));
    }
    if (reply.ok()) {
      return result(target, Outcome.DELETED, drained.drained(), drained.detail());
    }
    return switch (reply.code()) {
      case 404 ->
          reply.lostEarlier().isEmpty()
              ? result(
                  target,
                  Outcome.ALREADY_GONE,
                  drained.drained(),
                  "deleted by someone else first (404 Not Found)")
              // Our own earlier attempt most likely deleted it: it counts as ours (--max-deletions-
              // per-hour), as the API server's audit log would say.
              : result(
                  target,
                  Outcome.DELETED,
                  drained.drained(),
                  join(
                      drained.detail(),
                      "the answer to the first delete was lost ("
                          + reply.lostEarlier()
                          + "); the retry found it gone (404)"));
      case 409 ->
          result(
              target,
              Outcome.SKIPPED_CHANGED,
              drained.drained(),
              CONFLICT + (drained.drained() ? "; it was drained and no longer takes traffic" : ""));
      default ->
          result(
              target,
              Outcome.FAILED,
              drained.drained(),
              requests.describe(
                  "delete", "replicasets", target.namespace(), requests.failure(reply)));
    };
  }

  private static String join(String first, String second) {
    return first.isEmpty() ? second : first + "; " + second;
  }

  /** One sentence for an exception nobody planned for: its type and first line, bounded. */
  static String unexpected(RuntimeException e) {
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    return "unexpected error (" + e.getClass().getSimpleName() + ": " + message + ")";
  }

  static DeletionResult result(Target target, Outcome outcome, boolean drained, String detail) {
    return new DeletionResult(
        target.cluster(), target.name(), target.uid(), outcome, drained, detail);
  }
}
