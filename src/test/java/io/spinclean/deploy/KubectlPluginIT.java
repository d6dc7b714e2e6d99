package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.kube.ArticleServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl plugin {@code kubectl-spinclean}, run by the real {@code kubectl} with the
 * repository's root (where the plugin lies beside {@code ./spinclean}) on PATH, on the jar this
 * build made. An integration test (failsafe, after {@code package}): the jar must exist.
 */
class KubectlPluginIT {
  static final Path ROOT = Path.of("").toAbsolutePath();

  @RegisterExtension final ArticleServer article = new ArticleServer();
  @TempDir Path tmp;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void environment() throws Exception {
    Path jar = Tools.builtJar();
    assertThat(jar).as("the jar `package` made").isRegularFile();
    env.put("PATH", ROOT + ":" + Tools.KUBECTL.getParent() + ":/usr/bin:/bin");
    env.put("SPINCLEAN_JAR", jar.toString()); // run it, never build
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPINCLEAN_CDS", "off");
    env.put("HOME", tmp.toString()); // no ~/.kube/config of whoever runs the build
    env.put("KUBECONFIG", tmp.resolve("none").toString());
  }

  @Test
  void kubectlListsThePlugin() throws Exception {
    Tools.Result r = Tools.run(env, Tools.KUBECTL.toString(), "plugin", "list");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains(ROOT.resolve("kubectl-spinclean").toString());
  }

  @Test
  void kubectlSpincleanPlanPrintsWhatSpincleanPlanPrints() throws Exception {
    String file = ROOT.resolve(ArticleServer.FILE).toString();
    Tools.Result viaKubectl =
        Tools.run(env, Tools.KUBECTL.toString(), "spinclean", "plan", "-f", file);
    Tools.Result direct = Tools.run(env, ROOT.resolve("spinclean").toString(), "plan", "-f", file);

    assertThat(viaKubectl.exitCode()).as(viaKubectl.err()).isEqualTo(direct.exitCode()).isZero();
    assertThat(viaKubectl.out())
        .contains("webapp-v002", "DELETE", "FAILED_CANDIDATE")
        .contains("3 clusters: 3 cleanup, 0 clean, 0 refused, 0 skipped; 7 versions: 4 to delete");
    // The same plan, but for the moment the snapshot was taken.
    assertThat(withoutSnapshotTime(viaKubectl.out())).isEqualTo(withoutSnapshotTime(direct.out()));
  }

  @Test
  void theCurrentContextOfKubeconfigIsTheOneThePluginUses() throws Exception {
    Path config = tmp.resolve("config");
    Files.copy(Path.of(article.kubeconfig()), config);
    env.put("KUBECONFIG", config.toString());
    String kubectl = Tools.KUBECTL.toString();
    String cluster = Tools.ok(env, kubectl, "config", "view", "-o", "jsonpath={.clusters[0].name}");
    String user = Tools.ok(env, kubectl, "config", "view", "-o", "jsonpath={.users[0].name}");
    String home = Tools.ok(env, kubectl, "config", "current-context").strip();
    Tools.ok(
        env,
        kubectl,
        "config",
        "set-context",
        "elsewhere",
        "--cluster=" + cluster,
        "--user=" + user,
        "--namespace=elsewhere");

    Tools.Result example = Tools.run(env, kubectl, "spinclean", "plan");
    Tools.ok(env, kubectl, "config", "use-context", "elsewhere");
    Tools.Result elsewhere = Tools.run(env, kubectl, "spinclean", "plan");
    Tools.ok(env, kubectl, "config", "use-context", home);
    Tools.Result flag = Tools.run(env, kubectl, "spinclean", "plan", "--context", "elsewhere");

    assertThat(example.exitCode()).as(example.err()).isZero();
    assertThat(example.out()).contains("example/webapp", "4 to delete");
    // Namespace "elsewhere" of context "elsewhere": it holds nothing (the server says so).
    assertThat(elsewhere.out() + elsewhere.err()).contains("elsewhere").doesNotContain("webapp");
    assertThat(flag.out() + flag.err()).contains("elsewhere").doesNotContain("webapp");
    assertThat(flag.exitCode()).isEqualTo(elsewhere.exitCode());
  }

  private static List<String> withoutSnapshotTime(String out) {
    List<String> lines = new ArrayList<>(out.lines().toList());
    lines.removeIf(l -> l.startsWith("Snapshot taken "));
    return lines;
  }
}
