package io.spinclean.kube.apply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bundle file, created on the first version written: mode 0600 (a pod template can carry
 * environment values) in a directory created 0700. Each version is written and {@code fsync}ed
 * ({@link FileChannel#force}) before {@link #write} returns. When a write fails, the file is cut
 * back to its last whole document, so a restore never meets half a version.
 */
public final class FileBackup extends Backup {
  /** Opens a new file for writing; tests inject failures here. */
  @FunctionalInterface
  public interface Opener {
    FileChannel open(Path file) throws IOException;

    Opener SECURE =
        file ->
            FileChannel.open(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                posix(file, "rw-------"));
  }

  private final Path directory;
  private final BackupHeader header;
  private final Opener opener;
  private Path file;
  private FileChannel channel;

  FileBackup(Path directory, BackupHeader header, Opener opener) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.header = Objects.requireNonNull(header, "header");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  @Override
  public synchronized Optional<String> bundle() {
    return Optional.ofNullable(file).map(Path::toString);
  }

  @Override
  protected synchronized void write(String namespace, String name, String document)
      throws IOException {
    if (channel == null) {
      open();
    }
    long whole = channel.position();
    try {
      writeAll(document);
      channel.force(true);
    } catch (IOException e) {
      try {
        channel.truncate(whole);
        channel.force(true);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void open() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, posix(directory, "rwx------"));
    }
    Path candidate = directory.resolve(header.fileName());
    FileChannel opened = null;
    for (int n = 2; opened == null; n++) {
      try {
        opened = opener.open(candidate);
      } catch (FileAlreadyExistsException taken) {
        if (n > 999) {
          throw taken;
        }
        candidate =
            directory.resolve(header.fileName().replaceFirst("\\.yaml$", "-" + n + ".yaml"));
      }
    }
    channel = opened;
    file = candidate.toAbsolutePath();
    writeAll(header.text(file.toString()));
  }

  private void writeAll(String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  private static FileAttribute<?>[] posix(Path path, String permissions) {
    Path existing = path.toAbsolutePath().getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    boolean posix =
        existing != null
            && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        }
        : new FileAttribute<?>[0];
  }
}
