package io.spinclean.kube;

import io.spinclean.kube.apply.FileBackup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A bundle file's channel that tells a test what became durable when ({@code force} hands the
 * file's text so far to {@code onForce}) and fails every write after {@code forcesBeforeFailure}
 * forces with "No space left on device", as a full disk does.
 */
public final class RecordingChannel extends FileChannel {
  private final FileChannel file;
  private final StringBuilder written = new StringBuilder();
  private final Consumer<String> onForce;
  private final int forcesBeforeFailure;
  private int forces;

  private RecordingChannel(FileChannel file, Consumer<String> onForce, int forcesBeforeFailure) {
    this.file = file;
    this.onForce = onForce;
    this.forcesBeforeFailure = forcesBeforeFailure;
  }

  /** An opener of such channels over real files opened as spinclean opens them. */
  public static FileBackup.Opener opener(Consumer<String> onForce, int forcesBeforeFailure) {
    return (Path path) ->
        new RecordingChannel(FileBackup.Opener.SECURE.open(path), onForce, forcesBeforeFailure);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    // the header's force-less write counts as before the first force
    if (forces >= forcesBeforeFailure) {
      ByteBuffer half = src.duplicate();
      half.limit(half.position() + half.remaining() / 2);
      file.write(half); // a torn write: part of the bytes reach the file
      throw new IOException("No space left on device");
    }
    ByteBuffer copy = src.duplicate();
    int n = file.write(src);
    copy.limit(copy.position() + n);
    written.append(StandardCharsets.UTF_8.decode(copy));
    return n;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    file.force(metaData);
    forces++;
    onForce.accept(written.toString());
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    file.truncate(size);
    return this;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    throw new UnsupportedOperationException("gathering write");
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return file.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException("transferFrom");
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new UnsupportedOperationException("positional write");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("map");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
