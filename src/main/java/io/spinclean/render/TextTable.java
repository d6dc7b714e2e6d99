package io.spinclean.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of text cells aligned in columns. Widths are computed over the header and every row added,
 * so rows printed in separate blocks still line up. The last column is never padded and trailing
 * spaces are trimmed, so lines end cleanly.
 */
final class TextTable {
  private static final String GAP = "  ";

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final int[] widths;

  TextTable(String... header) {
    this.header = List.of(header);
    this.widths = new int[header.length];
    widen(this.header);
  }

  /** Adds a row and returns its index for {@link #row(int)}. */
  int add(String... cells) {
    if (cells.length != widths.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + widths.length + " columns");
    }
    // Cluster data (an annotation value quoted in a detail) may hold a newline, which would break
    // the layout, or an escape sequence or a bidi override, which would drive the terminal.
    List<String> row = Arrays.stream(cells).map(SafeText::printable).toList();
    rows.add(row);
    widen(row);
    return rows.size() - 1;
  }

  String header() {
    return line(header);
  }

  String row(int index) {
    return line(rows.get(index));
  }

  private void widen(List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      widths[i] = Math.max(widths[i], cells.get(i).length());
    }
  }

  private String line(List<String> cells) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      out.append(cell);
      if (i < cells.size() - 1) {
        out.append(" ".repeat(widths[i] - cell.length())).append(GAP);
      }
    }
    return out.toString().stripTrailing();
  }
}
