package io.spinclean.cli;

import io.spinclean.core.ApplyReport;
import io.spinclean.core.Plan;
import io.spinclean.render.JsonRenderer;
import io.spinclean.render.TableRenderer;

/** Picks the renderer for {@code -o}. */
final class Output {
  private Output() {}

  static String render(Plan plan, OutputFormat format) {
    return switch (format) {
      case TABLE -> TableRenderer.render(plan);
      case JSON -> JsonRenderer.render(plan);
    };
  }

  static String render(ApplyReport report, OutputFormat format) {
    return switch (format) {
      case TABLE -> TableRenderer.render(report);
      case JSON -> JsonRenderer.render(report);
    };
  }
}
