package io.spinclean.kube;

import io.spinclean.core.Snapshot;

/** Something that can take a fresh snapshot of the selected namespaces. */
@FunctionalInterface
public interface SnapshotSource {
  Snapshot read() throws ApiException;
}
