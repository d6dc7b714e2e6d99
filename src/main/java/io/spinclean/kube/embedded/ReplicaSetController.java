package io.spinclean.kube.embedded;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The part of Kubernetes' ReplicaSet controller that a client can trip over: shortly after a
 * ReplicaSet's {@code metadata.generation} moves past its {@code status.observedGeneration} (a
 * create, or a change to its spec such as {@code --drain}'s template patch), the controller writes
 * {@code status.observedGeneration}, which gives the object a new resourceVersion and the watches a
 * MODIFIED event. A delete that still carries the resourceVersion of the spec change then fails its
 * precondition (409), as on a real cluster (issue 10, item 5).
 *
 * <p>The write comes {@link #DELAY} later, or before the server handles its next request if that is
 * sooner ({@link #flush}), so what a client sees does not depend on timing. It is a JSON Patch of
 * the status subresource that first tests the uid and the generation, so it never lands on a
 * replaced object or on a newer spec (whose change schedules a write of its own). Pods are not
 * managed: no scaling, no other status fields.
 */
final class ReplicaSetController {
  /** How long after a spec change the controller writes; real ones take a few milliseconds. */
  static final Duration DELAY = Duration.ofMillis(25);

  private final EmbeddedStore store;
  private final Set<Write> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "embedded-replicaset-controller");
            t.setDaemon(true);
            return t;
          });

  ReplicaSetController(EmbeddedStore store) {
    this.store = store;
  }

  /** Called for every object stored: schedules the status write a ReplicaSet is owed. */
  void stored(String json) {
    if (!json.contains("\"ReplicaSet\"")) {
      return;
    }
    JsonNode rs = EmbeddedStore.parse(json);
    JsonNode meta = rs.path("metadata");
    long generation = meta.path("generation").asLong(0);
    if (!"ReplicaSet".equals(rs.path("kind").asString(""))
        || meta.has("deletionTimestamp")
        || generation <= 0
        || rs.path("status").path("observedGeneration").asLong(0) >= generation) {
      return;
    }
    String path =
        "/apis/apps/v1/namespaces/"
            + meta.path("namespace").asString("")
            + "/replicasets/"
            + meta.path("name").asString("")
            + "/status";
    String patch = observe(meta.path("uid").asString(""), generation);
    Write write = new Write(path, patch);
    pending.add(write);
    try {
      var unused = executor.schedule(write::run, DELAY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      pending.remove(write);
    }
  }

  /**
   * Carries out the writes still pending, before the server handles another request: a real
   * controller reacts within milliseconds, before a client's next request, so a client never sees
   * the spec change without the status write that follows it.
   */
  void flush() {
    for (Write write : pending) {
      write.run();
    }
  }

  /** One status write, carried out once: by the timer or by a flush, whichever comes first. */
  private final class Write {
    private final String path;
    private final String patch;
    private final AtomicBoolean done = new AtomicBoolean();

    Write(String path, String patch) {
      this.path = path;
      this.patch = patch;
    }

    void run() {
      if (done.compareAndSet(false, true)) {
        try {
          store.patch(path, patch); // a failed test answers 422: replaced, or a newer spec
        } catch (RuntimeException e) {
          // a store shutting down; nothing a client could see
        } finally {
          pending.remove(this);
        }
      }
    }
  }

  private static String observe(String uid, long generation) {
    ArrayNode ops = EmbeddedStore.JSON.createArrayNode();
    ObjectNode sameUid = ops.addObject();
    sameUid.put("op", "test");
    sameUid.put("path", "/metadata/uid");
    sameUid.put("value", uid);
    ObjectNode sameGeneration = ops.addObject();
    sameGeneration.put("op", "test");
    sameGeneration.put("path", "/metadata/generation");
    sameGeneration.put("value", generation);
    ObjectNode write = ops.addObject();
    write.put("op", "add");
    write.put("path", "/status/observedGeneration");
    write.put("value", generation);
    return EmbeddedStore.JSON.writeValueAsString(ops);
  }

  /** Waits for the scheduled writes; false if some were still pending after {@code max}. */
  boolean awaitIdle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!pending.isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  void shutdown() {
    executor.shutdownNow();
  }
}
