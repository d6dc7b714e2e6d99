package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code watch} exposes: the webhook URL (a Slack webhook's path is its secret) is never
 * printed and must be https unless it stays on the machine; the metrics port's bind address.
 */
class WatchExposureCliTest {
  static final String SECRET = "T0000/B0000/XXSECRETXX";

  @RegisterExtension final ArticleServer article = new ArticleServer();

  Run watch(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("watch", "--kubeconfig", article.kubeconfig()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          Spinclean.run(
              all.toArray(String[]::new),
              o,
              e,
              new ByteArrayInputStream(new byte[0]),
              Clock.systemUTC(),
              env);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void plainHttpToAnotherHostIsAUsageErrorThatDoesNotShowTheUrl() {
    Run run =
        watch(
            Map.of(),
            "--metrics-port=0",
            "--exit-after=1s",
            "--notify-webhook",
            "http://hooks.example.com/services/" + SECRET);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "spinclean: --notify-webhook must use https (plain http only to a loopback address),"
                + " not http://hooks.example.com/…\nSee 'spinclean watch --help'.\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noUsageErrorShowsTheUrlWhetherFlagOrVariable() {
    for (String bad :
        List.of(
            "hooks.example.com/services/" + SECRET,
            "https://hooks.example.com/services/" + SECRET + " x",
            "ftp://hooks.example.com/services/" + SECRET,
            "http://user:" + SECRET + "@hooks.example.com/")) {
      for (Run run :
          List.of(
              watch(Map.of(), "--exit-after=1s", "--notify-webhook", bad),
              watch(Map.of("SPINCLEAN_NOTIFY_WEBHOOK", bad), "--exit-after=1s"))) {
        assertThat(run.exitCode()).as(bad).isEqualTo(2);
        assertThat(run.err()).as(bad).startsWith("spinclean: ").contains("--notify-webhook");
        assertThat(run.out() + run.err()).as(bad).doesNotContain("XXSECRETXX");
      }
    }
  }

  /** An https endpoint that speaks no TLS: every delivery fails and is logged. */
  @Test
  void aFailedDeliveryIsLoggedWithoutTheUrl() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answer =
          new Thread(
              () -> {
                while (!plain.isClosed()) {
                  try (var s = plain.accept()) {
                    s.getOutputStream()
                        .write("HTTP/1.1 400 Bad\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      answer.setDaemon(true);
      answer.start();
      Run run =
          watch(
              Map.of(),
              "--settle=500ms",
              "--dry-run",
              "--metrics-port=0",
              "--exit-after=3s",
              "--notify-webhook",
              "https://127.0.0.1:" + plain.getLocalPort() + "/services/" + SECRET);

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("error cannot notify https://127.0.0.1:" + plain.getLocalPort() + "/… about");
      assertThat(run.out() + run.err()).doesNotContain("XXSECRETXX");
    }
  }

  @Test
  void theMetricsServeOnTheBindAddressGiven() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free again once closed (0 would turn the metrics off)
    }
    Run run =
        watch(
            Map.of(),
            "--metrics-bind-address=127.0.0.1",
            "--metrics-port=" + port,
            "--exit-after=1s");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(", metrics on 127.0.0.1 port " + port + "\n");

    Run blank = watch(Map.of(), "--metrics-bind-address= ", "--exit-after=1s");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err())
        .startsWith("spinclean: --metrics-bind-address must be an IP address, not \" \"\n");
  }
}
