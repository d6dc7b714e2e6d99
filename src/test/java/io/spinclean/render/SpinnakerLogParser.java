package io.spinclean.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test-only: turns a job's log into stage outputs the way Spinnaker does for "Capture Output From:
 * Logs" (docs/spinnaker-semantics.md#run-job-output), rule for rule after clouddriver's {@code
 * PropertyParser} (2025-05):
 *
 * <ul>
 *   <li>The log is split at {@code \n}; each line is trimmed of whitespace as Guava's {@code
 *       CharMatcher.whitespace()} defines it (Unicode spaces included), blank lines are dropped.
 *   <li>A line containing {@code SPINNAKER_PROPERTY_} anywhere is split at every {@code =}; the
 *       pieces are trimmed and empty pieces dropped; unless exactly two remain the line is ignored
 *       (so a value containing {@code =}, or an empty value, is lost). The key is the first piece
 *       with the first marker removed, lower-cased: text before the marker stays in the key.
 *   <li>A line whose first non-blank text is {@code SPINNAKER_CONFIG_JSON=} (the same line may also
 *       be a property line) has the first marker removed and the rest read as a JSON object into
 *       the outputs, shallowly, later keys winning. If it is not a JSON object, the whole parse
 *       fails: Spinnaker keeps no output of the log at all.
 * </ul>
 *
 * <p>{@link Variant#LIMIT_TWO} is the later clouddriver rule (split at the first {@code =} only, so
 * values keep their {@code =}); spinclean's output must read the same under both.
 */
final class SpinnakerLogParser {
  /** Which version of clouddriver's property-line rule to apply. */
  enum Variant {
    /**
     * Split at every '=', drop empty pieces, require exactly two
     * (docs/spinnaker-semantics.md#run-job-output).
     */
    OMIT_EMPTY,
    /** Split at the first '=' only; skip the line when the value is empty. */
    LIMIT_TWO
  }

  /** Spinnaker's parse failed: a config line is not a JSON object. Every output is lost. */
  static final class MalformedLog extends RuntimeException {
    MalformedLog(String line, Throwable cause) {
      super("malformed SPINNAKER_CONFIG_JSON line, Spinnaker discards all outputs: " + line, cause);
    }
  }

  private static final String PROPERTY = "SPINNAKER_PROPERTY_";
  private static final String CONFIG = "SPINNAKER_CONFIG_JSON=";
  // java.util.regex \s is ASCII whitespace only, as in clouddriver's Pattern.
  private static final Pattern CONFIG_LINE = Pattern.compile("^\\s*" + CONFIG);
  // Guava's CharMatcher.whitespace(), which Splitter.trimResults() uses: Unicode White_Space.
  private static final String GUAVA_WHITESPACE =
      "\t\n\u000b\f\r \u0085\u00a0\u1680"
          + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          + "\u2028\u2029\u202f\u205f\u3000";
  // Spinnaker's own mapper is Jackson 2 with defaults; Jackson 3's defaults differ in that they
  // reject trailing tokens after the object, which Jackson 2 ignores.
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Variant variant;

  SpinnakerLogParser(Variant variant) {
    this.variant = variant;
  }

  /** The outputs of a log, or {@link MalformedLog} when Spinnaker would keep none. */
  Map<String, Object> parse(String log) {
    Map<String, Object> outputs = new HashMap<>();
    for (String line : lines(log)) {
      if (line.contains(PROPERTY)) {
        property(line, outputs);
      }
      if (CONFIG_LINE.matcher(line).find()) {
        String json = line.replaceFirst(CONFIG, "");
        Map<String, Object> parsed;
        try {
          parsed = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (JacksonException e) {
          throw new MalformedLog(line, e);
        }
        if (parsed == null) {
          // Jackson 2 reads "null" as a null map; putAll(null) then throws: no outputs either.
          throw new MalformedLog(line, null);
        }
        outputs.putAll(parsed);
      }
    }
    return outputs;
  }

  /** The lines of a log that Spinnaker reads: trimmed, blank ones dropped. */
  static List<String> lines(String log) {
    List<String> lines = new ArrayList<>();
    for (String raw : log.split("\n", -1)) {
      String line = trim(raw);
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private void property(String line, Map<String, Object> outputs) {
    List<String> pieces = new ArrayList<>();
    if (variant == Variant.OMIT_EMPTY) {
      for (String piece : line.split("=", -1)) {
        String trimmed = trim(piece);
        if (!trimmed.isEmpty()) {
          pieces.add(trimmed);
        }
      }
      if (pieces.size() != 2) {
        return;
      }
    } else {
      int eq = line.indexOf('=');
      if (eq < 0) {
        return;
      }
      pieces.add(trim(line.substring(0, eq)));
      pieces.add(trim(line.substring(eq + 1)));
      if (pieces.get(1).isEmpty()) {
        return;
      }
    }
    // replaceFirst takes a regex; the marker has no special characters. Lower-casing uses the
    // server's default locale in clouddriver; ROOT is what an English-locale server does.
    String key = pieces.get(0).replaceFirst(PROPERTY, "").toLowerCase(Locale.ROOT);
    outputs.put(key, pieces.get(1));
  }

  private static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && GUAVA_WHITESPACE.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && GUAVA_WHITESPACE.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }
}
