package io.spinclean.kube.apply;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The bundle on a log stream (stderr): for a Spinnaker Run Job, whose log Spinnaker keeps, and for
 * a container with a read-only root filesystem. The lines between {@link #BEGIN} and {@link #END}
 * are the bundle; each document is flushed before its DELETE.
 */
final class StreamBackup extends Backup {
  static final String BEGIN = "----- BEGIN spinclean backup (kubectl create -f FILE) -----";
  static final String END = "----- END spinclean backup -----";

  private final PrintStream stream;
  private final BackupHeader header;
  private boolean begun;

  StreamBackup(PrintStream stream, BackupHeader header) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.header = Objects.requireNonNull(header, "header");
  }

  @Override
  public synchronized Optional<String> bundle() {
    return begun
        ? Optional.of("stderr, between the spinclean backup BEGIN and END lines")
        : Optional.empty();
  }

  @Override
  public Optional<String> restoreCommand() {
    return bundle()
        .map(b -> RESTORE + "FILE (FILE: the lines between BEGIN and END, saved from the log)");
  }

  @Override
  protected synchronized void write(String namespace, String name, String document)
      throws IOException {
    if (document.contains("SPINNAKER_PROPERTY_") || document.contains("SPINNAKER_CONFIG_JSON=")) {
      // A Run Job's log is read for these markers: the bundle must not forge the stage's outputs,
      // and changing the text would not restore the version as it was.
      throw new IOException(
          "its manifest holds a Spinnaker output marker (SPINNAKER_PROPERTY_ or"
              + " SPINNAKER_CONFIG_JSON=), which a log must not carry");
    }
    if (!begun) {
      stream.print(BEGIN + "\n" + header.text("FILE"));
      begun = true;
    }
    stream.print(document);
    stream.flush();
    if (stream.checkError()) {
      throw new IOException("cannot write to the log (stderr)");
    }
  }

  @Override
  public synchronized void close() {
    if (begun) {
      stream.print(END + "\n");
      stream.flush();
    }
  }
}
