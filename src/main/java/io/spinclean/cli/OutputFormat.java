package io.spinclean.cli;

/** {@code -o}: how the plan or report is printed. */
enum OutputFormat {
  TABLE,
  JSON
}
