package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --min-age is one option shared by plan, apply and watch, with different defaults: 0 for plan and
 * apply, {@link WatchCommand#DEFAULT_MIN_AGE} for watch (applied in code). Each command's --help
 * must give the default that command uses.
 */
class MinAgeHelpTest {
  /** The --min-age entry of a help text, its lines joined. */
  static String minAge(String help) {
    Matcher m =
        Pattern.compile(
                "^ +--min-age=DURATION (.*?)(?=\\n +-|\\n\\n|\\z)",
                Pattern.DOTALL | Pattern.MULTILINE)
            .matcher(help);
    assertThat(m.find()).as(help).isTrue();
    return m.group(1).replaceAll("\\s+", " ").strip();
  }

  @ParameterizedTest
  @CsvSource({"plan, 0", "apply, 0", "watch, " + WatchCommand.DEFAULT_MIN_AGE})
  void eachCommandsHelpStatesItsOwnDefault(String command, String value) {
    Run run = Run.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    String option = minAge(run.out());
    // e.g. "default: 0 for plan and apply, 1h for watch"
    assertThat(option)
        .containsPattern(
            "default: (.*, )?"
                + Pattern.quote(value)
                + " for ([a-z]+, |[a-z]+ and )*"
                + command
                + "\\b");
    assertThat(option).doesNotContain("default: 0;", "default: 0)");
  }
}
