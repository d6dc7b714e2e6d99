package io.spinclean.kube.apply;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Where {@code apply} and {@code watch} keep a restorable copy of each version before deleting it.
 *
 * <p>Invariant: {@link #write} returns only once the version's document is durable (in a file:
 * written and {@code fsync}ed; in a log: written and flushed); the executor sends the version's
 * DELETE only after that, and sends none when {@link #write} throws. The document is the ReplicaSet
 * as the fresh snapshot the executor re-planned from read it, stripped of what the API server sets
 * ({@link BackupDocument}), so that {@code kubectl create -f} re-creates it.
 */
public abstract class Backup implements AutoCloseable {
  /** The restore command a user is told, with {@code FILE} for a bundle that is not a file. */
  public static final String RESTORE = "kubectl create -f ";

  /** No backup: deletions cannot be undone. */
  public static Backup off() {
    return Off.INSTANCE;
  }

  /**
   * One file per run in {@code directory} (created 0700 if missing), named by {@code header}'s
   * time, context and namespaces, mode 0600, created on the first version written.
   */
  public static Backup toDirectory(Path directory, BackupHeader header) {
    return new FileBackup(directory, header, FileBackup.Opener.SECURE);
  }

  /**
   * The bundle on {@code stream} (stderr) between {@link StreamBackup#BEGIN} and {@link
   * StreamBackup#END} marker lines, each document flushed before its DELETE.
   */
  public static Backup toStream(PrintStream stream, BackupHeader header) {
    return new StreamBackup(stream, header);
  }

  /** Whether versions are written before they are deleted. */
  public boolean enabled() {
    return true;
  }

  /**
   * Where the bundle is: its file, or a description of the log it went to; empty when off, or when
   * no version was written (no file was created).
   */
  public abstract Optional<String> bundle();

  /** How to restore the bundle, e.g. {@code kubectl create -f /path/file.yaml}; empty if none. */
  public Optional<String> restoreCommand() {
    return bundle().map(b -> RESTORE + b);
  }

  /**
   * Makes one version's document durable.
   *
   * @param document one YAML document ({@code ---} first), ending with a newline
   * @throws IOException it is not durable: the version must not be deleted
   */
  protected abstract void write(String namespace, String name, String document) throws IOException;

  @Override
  public void close() throws IOException {}

  /**
   * Writes {@code target}'s ReplicaSet as the fresh read kept it.
   *
   * @return null when durable, else why it is not (the version must not be deleted)
   */
  final String save(
      Target target, Map<String, JsonNode> kept, KubernetesSerialization serialization) {
    JsonNode sent = kept.get(target.uid());
    ReplicaSet raw = sent == null ? null : serialization.convertValue(sent, ReplicaSet.class);
    if (raw == null
        || raw.getMetadata() == null
        || !Objects.equals(raw.getMetadata().getResourceVersion(), target.resourceVersion())) {
      return "not deleted: no copy of it from the fresh read to back up (a bug)";
    }
    try {
      write(target.namespace(), target.name(), BackupDocument.yaml(raw, serialization));
      return null;
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return "not deleted: its backup could not be written"
          + bundle().map(b -> " to " + b).orElse("")
          + ": "
          + reason
          + " (fix the destination, or give --backup DIR or --backup -)";
    }
  }

  private static final class Off extends Backup {
    static final Off INSTANCE = new Off();

    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public Optional<String> bundle() {
      return Optional.empty();
    }

    @Override
    protected void write(String namespace, String name, String document) {
      throw new IllegalStateException("backup is off");
    }
  }
}
