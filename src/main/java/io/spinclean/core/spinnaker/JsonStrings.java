package io.spinclean.core.spinnaker;

import java.util.ArrayList;
import java.util.List;

/**
 * The two JSON shapes Spinnaker writes into annotations: a string ({@code "\"app\""}) and a list of
 * strings ({@code ["service a","svc b"]}). The core is JDK-only, so this small strict reader stands
 * in for a JSON library for exactly these shapes; anything else is rejected (null), never guessed.
 */
final class JsonStrings {
  private final String text;
  private int pos;

  private JsonStrings(String text) {
    this.text = text;
  }

  /** A JSON string literal, or null when {@code json} is not exactly one. */
  static String parseString(String json) {
    JsonStrings p = new JsonStrings(json);
    String s = p.string();
    p.skipSpace();
    return s != null && p.pos == json.length() ? s : null;
  }

  /** A JSON array of strings, or null when {@code json} is not exactly one. */
  static List<String> parseStringArray(String json) {
    JsonStrings p = new JsonStrings(json);
    List<String> out = new ArrayList<>();
    p.skipSpace();
    if (!p.eat('[')) {
      return null;
    }
    p.skipSpace();
    if (!p.eat(']')) {
      do {
        String s = p.string();
        if (s == null) {
          return null;
        }
        out.add(s);
        p.skipSpace();
      } while (p.eat(','));
      if (!p.eat(']')) {
        return null;
      }
    }
    p.skipSpace();
    return p.pos == json.length() ? out : null;
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private boolean eat(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private String string() {
    skipSpace();
    if (!eat('"')) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        return null;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        return null;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            return null;
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            return null;
          }
          pos += 4;
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }
}
