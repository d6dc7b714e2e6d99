package io.spinclean.kube.apply;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * What a bundle says about itself in its first lines (YAML comments, so {@code kubectl create -f}
 * ignores them): when, where, by which command, how to restore and what a restored version is.
 *
 * @param context the kubeconfig context (or "the pod's service account")
 * @param namespaces the namespaces of the deletions
 * @param command the command line, e.g. {@code spinclean apply -n prod}
 */
public record BackupHeader(
    Instant when, String context, String server, List<String> namespaces, String command) {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public BackupHeader {
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(server, "server");
    namespaces = List.copyOf(namespaces);
    Objects.requireNonNull(command, "command");
  }

  /** {@code spinclean-<UTC time>-<context>-<namespaces>.yaml}, safe as a file name. */
  String fileName() {
    String ns = namespaces.isEmpty() ? "all-namespaces" : String.join("+", namespaces);
    String name = "spinclean-" + FILE_TIME.format(when) + "-" + context + "-" + ns;
    name = name.replaceAll("[^A-Za-z0-9._+-]", "_");
    return (name.length() > 200 ? name.substring(0, 200) : name) + ".yaml";
  }

  /**
   * The comment block.
   *
   * @param file how to name the bundle in the restore command ({@code FILE} for a log)
   */
  String text(String file) {
    String at = when.truncatedTo(ChronoUnit.SECONDS).toString();
    return String.join(
            "\n",
            "# spinclean backup: the ReplicaSets spinclean deleted, each written here (and made",
            "# durable) before its DELETE was sent.",
            "#   when:       " + at + " (UTC)",
            "#   context:    " + oneLine(context) + " (" + oneLine(server) + ")",
            "#   namespaces: " + String.join(", ", namespaces),
            "#   command:    " + oneLine(command),
            "#",
            "# Restore with kubectl alone:  kubectl create -f " + file,
            "#   It re-creates exactly these versions: same names, labels, annotations, replicas",
            "#   and pod template. A version that is still there (the run stopped before its",
            "#   DELETE) is refused with AlreadyExists and left as it is; nothing is duplicated.",
            "#",
            "# What a re-created version is: a NEW object with a new creationTimestamp, so Spinnaker",
            "# and spinclean both see it as the NEWEST version of its cluster.",
            "#   - Its pods start with the template as it was: if the template still carries the",
            "#     Service selector labels, they take traffic as soon as they are ready; if it was",
            "#     disabled, it takes none until you enable it.",
            "#   - The next 'spinclean plan' lists it again, as the newest version of its cluster:",
            "#     while none of its pods serve traffic it is a failed candidate, DELETE again (once",
            "#     older than --min-age; a running 'spinclean watch' deletes it too); once it",
            "#     serves, it is kept and the older serving version is the one to delete.",
            "#   - Keep it meanwhile: kubectl annotate replicaset NAME -n NAMESPACE",
            "#     spinclean.io/protect=true (remove the annotation, NAME-, when done).",
            "#   - Put traffic back: Spinnaker's Enable (Server Group) action on it, or add the",
            "#     Service's selector labels to its pod template and pods.",
            "#   - Remove it again: kubectl delete replicaset NAME -n NAMESPACE.",
            "")
        + "\n";
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
  }
}
