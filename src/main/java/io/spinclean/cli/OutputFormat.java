package io.spinclean.cli;

/** {@code -o}: how the plan or report is printed. */
enum OutputFormat {
  TABLE,
  JSON,
  /** The table, then one {@code SPINNAKER_CONFIG_JSON=} line for a Run Job stage's outputs. */
  SPINNAKER
}
