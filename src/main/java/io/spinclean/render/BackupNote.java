package io.spinclean.render;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code apply} says about its backup bundle (issue 12) after the outcomes.
 *
 * @param enabled false with {@code --backup off}: the deletions cannot be undone
 * @param bundle where the bundle is (a file, or the log); empty when nothing was written
 * @param restore the command that re-creates the deleted versions; empty when nothing was written
 */
public record BackupNote(boolean enabled, Optional<String> bundle, Optional<String> restore) {
  public BackupNote {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(restore, "restore");
  }

  /** The lines the table output ends with: where the bundle is and how to restore it. */
  public String lines() {
    if (!enabled) {
      return "backup: off (--backup off): the deletions cannot be undone\n";
    }
    if (bundle.isEmpty()) {
      return "";
    }
    return "backup: "
        + SafeText.printable(bundle.get())
        + "\nrestore: "
        + SafeText.printable(restore.orElse(""))
        + "\n";
  }
}
