package io.spinclean.kube;

import io.spinclean.core.ApiException;
import io.spinclean.core.Snapshot;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Something that can take a fresh snapshot of the selected namespaces. */
@FunctionalInterface
public interface SnapshotSource {
  Snapshot read() throws ApiException;

  /**
   * As {@link #read}, and also the ReplicaSets with the uids asked for, as the API server sent them
   * in that same read (for a backup written before they are deleted). A source that does not keep
   * them answers none: the executor then deletes none of them while a backup is on.
   */
  default Fresh readKeeping(Set<String> uids) throws ApiException {
    return new Fresh(read(), Map.of());
  }

  /**
   * One fresh read.
   *
   * @param kept uid -> the ReplicaSet as the API server sent it (JSON, read only for these)
   */
  record Fresh(Snapshot snapshot, Map<String, JsonNode> kept) {
    public Fresh {
      kept = Map.copyOf(kept);
    }
  }
}
