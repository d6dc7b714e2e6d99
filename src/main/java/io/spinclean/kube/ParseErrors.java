package io.spinclean.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * A JSON or YAML parser's complaint as the end of one sentence: where ({@code line 2, column 6:})
 * and what is wrong, without the quoted input that snakeyaml spreads over several lines. Used for
 * dumps, for list pages and for kubeconfig files alike.
 */
public final class ParseErrors {
  private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private ParseErrors() {}

  /** "line 2, column 6: what is wrong" from a Jackson exception and its location. */
  public static String describe(JacksonException e) {
    long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
    return summarize(e.getOriginalMessage(), line, column);
  }

  /**
   * "line 2, column 6: what is wrong" from a parser message. snakeyaml's messages quote the input
   * over several lines and name the place of the problem last; keep the lines that explain.
   */
  public static String summarize(String message, long line, long column) {
    message = message == null ? "" : message;
    List<String> explanation = new ArrayList<>();
    for (String text : message.split("\n", -1)) {
      if (!text.isBlank() && !text.startsWith(" ")) {
        explanation.add(text.strip());
      }
    }
    Matcher mark = YAML_MARK.matcher(message);
    while (mark.find()) {
      line = Long.parseLong(mark.group(1));
      column = Long.parseLong(mark.group(2));
    }
    String at = line > 0 ? "line " + line + ", column " + column + ": " : "";
    return at + String.join(", ", explanation);
  }
}
