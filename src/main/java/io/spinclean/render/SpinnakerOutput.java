package io.spinclean.render;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.ClusterPlan;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.VersionPlan;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link Plan} or an {@link ApplyReport} for a Spinnaker "Run Job (Manifest)" stage that
 * captures output from logs (docs/spinnaker-semantics.md#run-job-output): the human table of {@link
 * TableRenderer}, then exactly one line {@code SPINNAKER_CONFIG_JSON={...}} whose keys become the
 * stage's outputs, e.g. {@code ${#stage('Cleanup')['outputs']['spincleanDeleted']}}. The keys are
 * described in docs/spinnaker.md.
 *
 * <p>Invariants, whatever the cluster data (names and annotation values are any strings):
 *
 * <ul>
 *   <li>The human part contains neither {@code SPINNAKER_PROPERTY_} nor {@code
 *       SPINNAKER_CONFIG_JSON=} anywhere, so it adds no output and cannot discard the others (one
 *       malformed config line discards every output of the log).
 *   <li>The config line is one line of printable ASCII (everything else is a JSON escape), starts
 *       with the marker, holds one valid JSON object, and contains no {@code SPINNAKER_PROPERTY_}.
 *   <li>Every key starts with {@code spinclean}, so it cannot clash with other stages' outputs; the
 *       same keys are always present (lists may be empty), so pipeline expressions never meet a
 *       missing key, and Spinnaker never sees a log without outputs (which fails a job that
 *       succeeded).
 * </ul>
 *
 * <p>Pure: no I/O, no clock.
 */
public final class SpinnakerOutput {
  /** The marker of a config line; Spinnaker reads it only as the first text of a line. */
  public static final String CONFIG_JSON = "SPINNAKER_CONFIG_JSON=";

  /** The marker of a property line; Spinnaker reads it anywhere in a line. */
  static final String PROPERTY = "SPINNAKER_PROPERTY_";

  private static final char DEL = 0x7f;

  // ASCII only: the line survives any stdout encoding and log pipeline unchanged. Slashes stay
  // unescaped so that "example/webapp-v002" reads as itself in the log.
  private static final ObjectWriter WRITER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
          .build()
          .writer();

  private SpinnakerOutput() {}

  /** A plan ({@code plan -o spinnaker}) without {@code spincleanExitCode}. */
  public static String render(Plan plan) {
    return render(plan, OptionalInt.empty());
  }

  /** A plan, with the exit code the command ends with as {@code spincleanExitCode}. */
  public static String render(Plan plan, int exitCode) {
    return render(plan, OptionalInt.of(exitCode));
  }

  /** An apply ({@code apply -o spinnaker}) without {@code spincleanExitCode}. */
  public static String render(ApplyReport report) {
    return render(report, OptionalInt.empty());
  }

  /** An apply, with the exit code the command ends with as {@code spincleanExitCode}. */
  public static String render(ApplyReport report, int exitCode) {
    return render(report, OptionalInt.of(exitCode));
  }

  /**
   * For {@code apply}, which prints the plan before it deletes anything: the plan's table alone,
   * made safe as {@link #neutralise} does. {@code planTable(report.plan()) + "\n" +
   * renderOutcomes(report, exitCode)} equals {@link #render(ApplyReport, int)}.
   */
  public static String planTable(Plan plan) {
    return neutralise(TableRenderer.render(plan));
  }

  /** What {@link #render(ApplyReport, int)} prints after {@link #planTable} and a blank line. */
  public static String renderOutcomes(ApplyReport report, int exitCode) {
    return outcomes(report, OptionalInt.of(exitCode), null);
  }

  /**
   * As {@link #renderOutcomes(ApplyReport, int)}, with the backup lines after the outcomes and the
   * bundle as {@code spincleanBackup} (null when none was written).
   */
  public static String renderOutcomes(ApplyReport report, int exitCode, BackupNote backup) {
    return outcomes(report, OptionalInt.of(exitCode), Objects.requireNonNull(backup, "backup"));
  }

  /**
   * The config line alone for a run that could not make a plan (exit code 1 or 2): verdict {@code
   * ERROR}, the one-sentence message as {@code spincleanError}, every list empty.
   */
  public static String error(String message, int exitCode) {
    Objects.requireNonNull(message, "message");
    ObjectNode out = new StageOutputs().json("ERROR", null, OptionalInt.of(exitCode), message);
    out.putArray("spincleanClusters");
    return line(out);
  }

  /**
   * Text that Spinnaker reads as nothing: each marker gets a hyphen for its first underscore
   * ({@code SPINNAKER-PROPERTY_}, {@code SPINNAKER-CONFIG_JSON=}). For anything else the job writes
   * to its log, such as error messages on stderr.
   */
  public static String neutralise(String text) {
    // Neither marker can overlap itself or be re-created by the replacement (it has no '_'
    // after "SPINNAKER"), so one pass removes every occurrence.
    return text.replace(PROPERTY, "SPINNAKER-PROPERTY_")
        .replace(CONFIG_JSON, "SPINNAKER-CONFIG_JSON=");
  }

  private static String render(Plan plan, OptionalInt exitCode) {
    StageOutputs lists = new StageOutputs();
    for (Plan.Deletion d : plan.deletions()) {
      lists.deleted.add(StageOutputs.ref(d.cluster(), d.version().name()));
    }
    String verdict = plan.anyRefused() ? "REFUSED" : lists.deleted.isEmpty() ? "CLEAN" : "CLEANUP";
    ObjectNode out = lists.collect(plan).json(verdict, "plan", exitCode, null);
    ArrayNode clusters = out.putArray("spincleanClusters");
    for (ClusterPlan c : plan.clusters()) {
      StageOutputs.cluster(clusters, c)
          .set(
              "deleted",
              StageOutputs.strings(c.deletions().stream().map(VersionPlan::name).toList()));
    }
    return planTable(plan) + line(out);
  }

  private static String render(ApplyReport report, OptionalInt exitCode) {
    // No marker holds a newline, so neutralising the parts is neutralising the whole.
    return planTable(report.plan()) + "\n" + outcomes(report, exitCode, null);
  }

  /**
   * @param backup null: no backup lines, no {@code spincleanBackup}
   */
  private static String outcomes(ApplyReport report, OptionalInt exitCode, BackupNote backup) {
    StageOutputs lists = new StageOutputs().collect(report.plan());
    for (DeletionResult r : report.results()) {
      String ref = StageOutputs.ref(r.cluster(), r.name());
      switch (r.outcome()) {
        case DELETED -> lists.deleted.add(ref);
        case ALREADY_GONE -> lists.alreadyGone.add(ref);
        case SKIPPED_CHANGED -> lists.skipped.add(ref);
        case FAILED, NOT_ATTEMPTED -> lists.failed.add(ref);
      }
    }
    lists.remaining.addAll(report.remaining());
    String verdict;
    if (report.anyFailed()) {
      verdict = "FAILED";
    } else if (report.plan().anyRefused() || !lists.skipped.isEmpty()) {
      verdict = "REFUSED";
    } else {
      verdict = report.plan().deletions().isEmpty() ? "CLEAN" : "CLEANUP";
    }
    ObjectNode out = lists.json(verdict, "apply", exitCode, null);
    ArrayNode clusters = out.putArray("spincleanClusters");
    for (ClusterPlan c : report.plan().clusters()) {
      List<String> deleted =
          report.results().stream()
              .filter(r -> r.cluster().equals(c.key()) && r.outcome() == Outcome.DELETED)
              .map(DeletionResult::name)
              .toList();
      StageOutputs.cluster(clusters, c).set("deleted", StageOutputs.strings(deleted));
    }
    if (backup == null) {
      return neutralise(TableRenderer.renderOutcomes(report)) + line(out);
    }
    out.put("spincleanBackup", backup.bundle().orElse(null));
    return neutralise(TableRenderer.renderOutcomes(report) + backup.lines()) + line(out);
  }

  /** The config line: marker, one-line ASCII JSON, newline. */
  static String line(ObjectNode outputs) {
    // Both replacements can only meet text inside JSON strings (the keys are fixed), where an
    // escape is the same character: a name may contain the property marker, which Spinnaker looks
    // for anywhere in a line, and DEL is the one ASCII control character Jackson leaves as is.
    String json =
        WRITER
            .writeValueAsString(outputs)
            .replace(PROPERTY, "SPINNAKER\\u005FPROPERTY_")
            .replace(String.valueOf(DEL), "\\u007F");
    return CONFIG_JSON + json + "\n";
  }
}
