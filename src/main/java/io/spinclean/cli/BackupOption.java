package io.spinclean.cli;

import io.spinclean.kube.apply.Backup;
import io.spinclean.kube.apply.BackupHeader;
import io.spinclean.render.BackupNote;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --backup DIR|-|off} of {@code apply} and {@code watch} (issue 12): where each version is
 * written before it is deleted.
 */
final class BackupOption {
  static final String DESCRIPTION =
      "Where each version is written, as a kubectl-ready ReplicaSet, before it is deleted: DIR"
          + " (one file per run, mode 0600 in a 0700 directory), - (stderr, between BEGIN and END"
          + " lines) or off. Restore with 'kubectl create -f FILE'.";

  private BackupOption() {}

  /**
   * {@code $XDG_STATE_HOME/spinclean/backups}, else {@code ~/.local/state/spinclean/backups}: from
   * {@code env}, else (an in-process caller that passes no environment) from the process's.
   */
  static Path defaultDirectory(Map<String, String> env) {
    for (Map<String, String> source : List.of(env, System.getenv())) {
      String state = variable(source, "XDG_STATE_HOME");
      if (state != null && Path.of(state).isAbsolute()) {
        return Path.of(state, "spinclean", "backups");
      }
      String home = variable(source, "HOME");
      if (home != null) {
        return Path.of(home, ".local", "state", "spinclean", "backups");
      }
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "spinclean", "backups");
  }

  private static String variable(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The backup {@code value} asks for.
   *
   * @param value null for the default directory
   */
  static Backup open(
      String value, Map<String, String> env, PrintStream stderr, BackupHeader header) {
    if (value == null) {
      return Backup.toDirectory(defaultDirectory(env), header);
    }
    return switch (value) {
      case "off" -> Backup.off();
      case "-" -> Backup.toStream(stderr, header);
      default -> Backup.toDirectory(Path.of(value), header);
    };
  }

  /** What the summary says about {@code backup}. */
  static BackupNote note(Backup backup) {
    return new BackupNote(backup.enabled(), backup.bundle(), backup.restoreCommand());
  }
}
