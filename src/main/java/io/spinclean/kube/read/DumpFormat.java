package io.spinclean.kube.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The format of a dump and its parser: JSON when its first character is <code>{</code> or <code>[
 * </code>, else YAML, with no limit on a document's size.
 */
final class DumpFormat {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  // snakeyaml refuses documents over 3 MB by default; `kubectl get pods -A -o yaml` is far bigger.
  private static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .loadSettings(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build())
                  .build())
          .build();

  private DumpFormat() {}

  /**
   * A parser of {@code in}, JSON or YAML as its first character says.
   *
   * @param source the name used in messages
   */
  static JsonParser parser(String source, BufferedInputStream in) throws InputException {
    return (looksLikeJson(source, in) ? JSON : YAML).createParser(in);
  }

  /** JSON when the first character that is not white space or a byte-order mark is { or [. */
  private static boolean looksLikeJson(String source, BufferedInputStream in)
      throws InputException {
    int limit = 4096;
    in.mark(limit);
    try {
      for (int i = 0; i < limit; i++) {
        int b = in.read();
        if (b == '{' || b == '[') {
          return true;
        }
        // UTF-8 and UTF-16 byte-order marks, the zero bytes of UTF-16, and white space
        boolean skip = b == 0 || b == 0xEF || b == 0xBB || b == 0xBF || b == 0xFE || b == 0xFF;
        if (b < 0 || !(skip || Character.isWhitespace(b))) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      throw new InputException(source + ": cannot read (" + e.getMessage() + ")", e);
    } finally {
      try {
        in.reset();
      } catch (IOException e) {
        // cannot happen within the mark limit; the parser will report a broken stream
      }
    }
  }
}
