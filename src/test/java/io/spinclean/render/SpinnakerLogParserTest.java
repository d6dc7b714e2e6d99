package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.spinclean.render.SpinnakerLogParser.MalformedLog;
import io.spinclean.render.SpinnakerLogParser.Variant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test parser itself does what docs/spinnaker-semantics.md#run-job-output says Spinnaker does;
 * otherwise the tests of {@link SpinnakerOutput} against it would prove nothing.
 */
class SpinnakerLogParserTest {
  private final SpinnakerLogParser spinnaker = new SpinnakerLogParser(Variant.OMIT_EMPTY);
  private final SpinnakerLogParser later = new SpinnakerLogParser(Variant.LIMIT_TWO);

  @Test
  void propertyKeysAreLowerCasedAndFoundAnywhereInALine() {
    Map<String, Object> out =
        spinnaker.parse(
            "SPINNAKER_PROPERTY_Deleted=3\n" + "  some text SPINNAKER_PROPERTY_X=y  \n");
    // Text before the marker stays in the key; the pieces are trimmed.
    assertThat(out).containsOnly(entry("deleted", "3"), entry("some text x", "y"));
  }

  @Test
  void propertyValuesWithEqualsOrEmptyAreDropped() {
    assertThat(
            spinnaker.parse(
                "SPINNAKER_PROPERTY_A=b=c\nSPINNAKER_PROPERTY_E=\n" + "SPINNAKER_PROPERTY_N"))
        .isEmpty();
    // Empty pieces are dropped before counting: a doubled '=' is not "containing =".
    assertThat(spinnaker.parse("SPINNAKER_PROPERTY_A==b")).containsOnly(entry("a", "b"));
    // The later rule keeps everything after the first '='.
    assertThat(later.parse("SPINNAKER_PROPERTY_A=b=c\nSPINNAKER_PROPERTY_E=\n"))
        .containsOnly(entry("a", "b=c"));
  }

  @Test
  void configJsonCountsOnlyAsTheFirstNonBlankTextOfALine() {
    Map<String, Object> out =
        spinnaker.parse(
            " \t SPINNAKER_CONFIG_JSON={\"a\":1}\n"
                + "\u00a0SPINNAKER_CONFIG_JSON={\"b\":[true,\"x\"]}\n"
                + "say SPINNAKER_CONFIG_JSON={\"c\":2}\n");
    assertThat(out).containsOnly(entry("a", 1), entry("b", List.of(true, "x")));
  }

  @Test
  void severalConfigLinesMergeShallowlyLaterKeysWinning() {
    Map<String, Object> out =
        spinnaker.parse(
            "SPINNAKER_CONFIG_JSON={\"a\":{\"x\":1},\"b\":1}\n"
                + "SPINNAKER_CONFIG_JSON={\"a\":{\"y\":2}}\n");
    assertThat(out).containsOnly(entry("a", Map.of("y", 2)), entry("b", 1));
  }

  @Test
  void oneMalformedConfigLineDiscardsEveryOutput() {
    String log =
        "SPINNAKER_PROPERTY_A=b\nSPINNAKER_CONFIG_JSON={\"ok\":1}\n"
            + "SPINNAKER_CONFIG_JSON={\"broken\":\n";
    assertThatThrownBy(() -> spinnaker.parse(log)).isInstanceOf(MalformedLog.class);
    assertThatThrownBy(() -> spinnaker.parse("SPINNAKER_CONFIG_JSON=[1]"))
        .isInstanceOf(MalformedLog.class);
    assertThatThrownBy(() -> spinnaker.parse("SPINNAKER_CONFIG_JSON=null"))
        .isInstanceOf(MalformedLog.class);
    assertThatThrownBy(() -> spinnaker.parse("SPINNAKER_CONFIG_JSON="))
        .isInstanceOf(MalformedLog.class);
    // Jackson 2's defaults ignore what follows the object.
    assertThat(spinnaker.parse("SPINNAKER_CONFIG_JSON={\"a\":1} trailing"))
        .containsOnly(entry("a", 1));
  }

  @Test
  void aConfigLineThatAlsoHoldsThePropertyMarkerIsReadTwice() {
    // The JSON is also split at '=' as a property line: one '=' in it makes a junk output.
    Map<String, Object> out =
        spinnaker.parse("SPINNAKER_CONFIG_JSON={\"k\":\"SPINNAKER_PROPERTY_\"}");
    assertThat(out)
        .containsOnly(
            entry("k", "SPINNAKER_PROPERTY_"),
            entry("spinnaker_config_json", "{\"k\":\"SPINNAKER_PROPERTY_\"}"));
  }

  @Test
  void linesSplitOnlyAtNewline() {
    // A carriage return or U+2028 inside a line does not start a new line for Spinnaker.
    assertThat(spinnaker.parse("x\rSPINNAKER_CONFIG_JSON={\"a\":1}")).isEmpty();
    assertThat(SpinnakerLogParser.lines("a\r\n\n  \nb\u2028c")).containsExactly("a", "b\u2028c");
  }
}
