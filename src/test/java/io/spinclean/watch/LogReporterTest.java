package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.ClusterPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What cluster data can and cannot do to the controller's log. */
class LogReporterTest {
  static String log(LogReporter.Format format, Decision d) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new LogReporter(out, Clock.fixed(Forged.T0, ZoneOffset.UTC), format).report(d);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static Decision refused() {
    ClusterPlan plan = Forged.refused();
    return Forged.decision(
        Decision.Kind.REFUSED, plan, "refused (" + plan.reason() + "): " + plan.detail());
  }

  @Test
  void aForgedAnnotationCannotStartAnotherTextLineOrDriveTheTerminal() {
    assertThat(log(LogReporter.Format.TEXT, refused()))
        .isEqualTo(
            "2026-11-26T08:00:00Z warn namespace=prod application=\"web\\u202eppa\""
                + " cluster=\"<!channel> <http://evil.example|details> & <@U123> \\u001b[31mred\""
                + " reason=MALFORMED_ANNOTATION refused (MALFORMED_ANNOTATION): webapp-v002:"
                + " traffic.spinnaker.io/load-balancers is not a JSON list of strings:"
                + " x\\r\\u001b[2K2026-11-26T08:00:00Z info outcome=DELETED"
                + "\\n\\u0085\\u009b2K\\u007f\\u2066\\u200f\n");
  }

  @Test
  void jsonLinesEscapeDelC1AndBidiControlsAndStillParse() {
    String line = log(LogReporter.Format.JSON, refused());
    assertThat(line)
        .isEqualTo(
            "{\"time\":\"2026-11-26T08:00:00Z\",\"level\":\"warn\",\"namespace\":\"prod\","
                + "\"application\":\"web\\u202eppa\","
                + "\"cluster\":\"<!channel> <http://evil.example|details> & <@U123>"
                + " \\u001b[31mred\",\"reason\":\"MALFORMED_ANNOTATION\","
                + "\"msg\":\"refused (MALFORMED_ANNOTATION): webapp-v002:"
                + " traffic.spinnaker.io/load-balancers is not a JSON list of strings:"
                + " x\\r\\u001b[2K2026-11-26T08:00:00Z info outcome=DELETED"
                + "\\n\\u0085\\u009b2K\\u007f\\u2066\\u200f\"}\n");
    JsonNode json = JsonMapper.builder().build().readTree(line);
    assertThat(json.get("application").asString()).isEqualTo(Forged.APPLICATION);
    assertThat(json.get("msg").asString()).endsWith(Forged.LOAD_BALANCERS);
  }

  @Test
  void plainValuesStayUnquoted() {
    ClusterPlan plan = Forged.cleanup();
    String line =
        log(
            LogReporter.Format.TEXT,
            Forged.decision(Decision.Kind.WOULD_DELETE, plan, "dry run: would delete webapp-v002"));
    assertThat(line)
        .startsWith("2026-11-26T08:00:00Z info namespace=prod application=\"web\\u202eppa\"")
        .contains(" version=webapp-v002 reason=")
        .endsWith(
            " dry run: would delete ("
                + plan.versions().get(1).reason()
                + "): "
                + plan.versions().get(1).detail()
                + "\n");
  }
}
