package io.spinclean.render;

/**
 * Cluster data (annotation values, which are any strings) made safe for the places spinclean writes
 * them: a terminal line, a JSON string, a Slack message. One rule for which characters are unsafe,
 * shared by tables, logs, Events and the webhook.
 *
 * <p>Unsafe are the characters that a reader does not see but that act on what is shown: control
 * characters (C0 including newline, carriage return and ESC, DEL, C1: a new log line, a terminal
 * escape sequence), format characters (bidi embeddings, overrides and isolates U+202A-U+202E,
 * U+2066-U+2069, marks U+200E/U+200F/U+061C, zero-width characters: text shown in another order
 * than it is), line and paragraph separators (U+2028/U+2029: a new line for some viewers) and lone
 * surrogates (not text at all). Each is written as an escape ({@code \n}, {@code \r}, {@code \t},
 * else {@code \}{@code uXXXX}), so the reader sees that it was there. Everything else, including
 * other non-ASCII text, is kept as it is.
 *
 * <p>Pure: no I/O.
 */
public final class SafeText {
  private SafeText() {}

  private static boolean unsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * Whether the UTF-16 unit at {@code i} must be escaped: an unsafe character, a lone surrogate, or
   * half of an unsafe supplementary character (the tag characters U+E0001-U+E007F are format
   * characters: invisible text).
   */
  private static boolean unsafeAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length()
          || !Character.isLowSurrogate(s.charAt(i + 1))
          || unsafe(s.codePointAt(i));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)) || unsafe(s.codePointAt(i - 1));
    }
    return unsafe(c);
  }

  /**
   * For one line of a terminal or a text log: every unsafe character escaped, nothing else changed
   * (a backslash stays a backslash, so plain text reads as itself).
   */
  public static String printable(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      boolean escape = unsafeAt(s, i);
      if (escape && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out == null) {
        continue;
      }
      if (escape) {
        escape(out, s.charAt(i));
      } else {
        out.append(s.charAt(i));
      }
    }
    return out == null ? s : out.toString();
  }

  /** Whether {@link #printable} would change {@code s}. */
  public static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (unsafeAt(s, i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A JSON string literal, quotes included, whose text is {@code s} exactly; every unsafe character
   * is an escape, so the line stays one line and shows no control in a terminal.
   */
  public static String json(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (unsafeAt(s, i)) {
        escape(out, c);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /**
   * Text for a Slack message: {@link #printable}, then the ampersand, less-than and greater-than
   * signs as the entities amp, lt and gt, the only escapes Slack decodes
   * (https://api.slack.com/reference/surfaces/formatting#escaping). Cluster data can then make no
   * mention ({@code <!channel>}, {@code <@U123>}) and no link ({@code <http://x|y>}).
   */
  public static String slack(String s) {
    return printable(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void escape(StringBuilder out, char c) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> out.append(String.format("\\u%04x", (int) c));
    }
  }
}
