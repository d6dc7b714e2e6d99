package io.spinclean.cli;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;
import io.spinclean.render.BackupNote;
import io.spinclean.render.JsonRenderer;
import io.spinclean.render.SpinnakerOutput;
import io.spinclean.render.TableRenderer;
import java.io.PrintStream;

/** Picks the renderer for {@code -o}, and says errors the way that format needs. */
final class Output {
  private Output() {}

  static String render(Plan plan, OutputFormat format, int exitCode) {
    return switch (format) {
      case TABLE -> TableRenderer.render(plan);
      case JSON -> JsonRenderer.render(plan);
      case SPINNAKER -> SpinnakerOutput.render(plan, exitCode);
    };
  }

  /** What apply prints before it writes anything; empty for JSON (one document at the end). */
  static String planBeforeApply(Plan plan, OutputFormat format) {
    return switch (format) {
      case TABLE -> TableRenderer.render(plan);
      case JSON -> "";
      case SPINNAKER -> SpinnakerOutput.planTable(plan);
    };
  }

  /** What apply prints after it wrote: the rest of the report. */
  static String afterApply(ApplyReport report, OutputFormat format, int exitCode) {
    return afterApply(report, format, exitCode, null);
  }

  /**
   * As {@link #afterApply(ApplyReport, OutputFormat, int)}, naming the backup bundle and its
   * restore command (null: say nothing about a backup).
   */
  static String afterApply(
      ApplyReport report, OutputFormat format, int exitCode, BackupNote backup) {
    if (backup == null) {
      return afterApplyWithoutBackup(report, format, exitCode);
    }
    return switch (format) {
      case TABLE ->
          report.results().isEmpty()
              ? ""
              : "\n" + TableRenderer.renderOutcomes(report) + backup.lines();
      case JSON -> JsonRenderer.render(report, backup);
      case SPINNAKER -> "\n" + SpinnakerOutput.renderOutcomes(report, exitCode, backup);
    };
  }

  private static String afterApplyWithoutBackup(
      ApplyReport report, OutputFormat format, int exitCode) {
    return switch (format) {
      case TABLE -> report.results().isEmpty() ? "" : "\n" + TableRenderer.renderOutcomes(report);
      case JSON -> JsonRenderer.render(report);
      case SPINNAKER -> "\n" + SpinnakerOutput.renderOutcomes(report, exitCode);
    };
  }

  /**
   * One sentence on stderr. With {@code -o spinnaker} also the outputs line on stdout, so the
   * pipeline sees why the stage failed (and text from the cluster cannot forge outputs).
   */
  static int fail(Spinclean root, OutputFormat format, String message, int exitCode) {
    PrintStream err = root.err;
    if (format == OutputFormat.SPINNAKER) {
      err.println("spinclean: " + SpinnakerOutput.neutralise(message));
      root.out.print(SpinnakerOutput.error(message, exitCode));
    } else {
      err.println("spinclean: " + message);
    }
    return exitCode;
  }
}
