package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which characters are shown as escapes, in each of the three forms. */
class SafeTextTest {
  /** Inputs and expected outputs are written with Java-style escapes, decoded by the test. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        // plain text, other scripts, emoji and a backslash are kept as they are
        "webapp-v002 é 中 \\ud83d\\ude80 \\\\n|webapp-v002 é 中 \\ud83d\\ude80 \\\\n",
        // C0, DEL, C1
        "a\\nb\\rc\\td\\u001be\\u007ff\\u0085g\\u009bh|a\\\\nb\\\\rc\\\\td\\\\u001be\\\\u007ff\\\\u0085g\\\\u009bh",
        // bidi controls and marks, zero-width characters, separators
        "\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c\\u200b\\ufeff\\u2028\\u2029"
            + "|\\\\u202a\\\\u202e\\\\u2066\\\\u2069\\\\u200e\\\\u200f\\\\u061c\\\\u200b\\\\ufeff"
            + "\\\\u2028\\\\u2029",
        // a lone surrogate, and a tag character (invisible: a supplementary format character)
        "x\\ud83dy\\udb40\\udc41|x\\\\ud83dy\\\\udb40\\\\udc41",
      })
  void printableEscapesWhatActsUnseen(String in, String out) {
    assertThat(SafeText.printable(unescape(in))).isEqualTo(unescape(out));
    assertThat(SafeText.isPrintable(unescape(in))).isEqualTo(unescape(in).equals(unescape(out)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'say \"hi\" \\\\ \\u007f\\u202e'|'\"say \\\\\"hi\\\\\" \\\\\\\\ \\\\u007f\\\\u202e\"'",
      })
  void jsonQuotesAndEscapes(String in, String out) {
    assertThat(SafeText.json(unescape(in))).isEqualTo(unescape(out));
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '\'',
      value = {
        "<!channel> <!here> <@U123> <#C1> <http://x|y> a & b => "
            + "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1&gt; &lt;http://x|y&gt; a &amp; b",
        "&amp; => &amp;amp;",
      })
  void slackEscapesItsThreeCharacters(String in, String out) {
    assertThat(SafeText.slack(in)).isEqualTo(out);
  }

  /** Decodes the escapes backslash-backslash, -quote, -n, -r, -t and -u with four hex digits. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }
}
