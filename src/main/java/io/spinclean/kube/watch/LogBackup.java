package io.spinclean.kube.watch;

import io.spinclean.kube.apply.Backup;
import io.spinclean.watch.LogReporter;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code watch --backup -}: each version's manifest goes into the controller's log, one line per
 * deletion, written and flushed before its DELETE. Needs no filesystem at all, so the controller
 * keeps working on a read-only root filesystem; the log collector keeps the bundle.
 */
public final class LogBackup extends Backup {
  private final LogReporter log;
  private boolean written;

  public LogBackup(LogReporter log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public synchronized Optional<String> bundle() {
    return written ? Optional.of("the controller's log") : Optional.empty();
  }

  @Override
  public Optional<String> restoreCommand() {
    return bundle().map(b -> RESTORE + "FILE (FILE: the manifest field of the 'backed up' line)");
  }

  @Override
  protected synchronized void write(String namespace, String name, String document)
      throws IOException {
    log.backup(namespace, name, document);
    written = true;
  }
}
