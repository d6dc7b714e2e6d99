package io.spinclean.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin launcher as installed: through a symlink on PATH it runs the {@code spinclean} beside
 * its real file, arguments whole; the image puts it beside its entrypoint. (KubectlPluginIT runs it
 * through kubectl on the real jar.)
 */
class KubectlPluginFilesTest {
  static final Path PLUGIN = Path.of("kubectl-spinclean").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void throughASymlinkItRunsTheSpincleanBesideItsRealFile() throws Exception {
    Path install = Files.createDirectories(tmp.resolve("install"));
    Path real = Files.copy(PLUGIN, install.resolve("kubectl-spinclean"));
    Path spinclean =
        Files.writeString(
            install.resolve("spinclean"),
            "#!/bin/sh\necho \"$0\"\nfor a in \"$@\"; do echo \"[$a]\"; done\nexit 3\n");
    Files.setPosixFilePermissions(spinclean, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kubectl-spinclean"), real);

    Tools.Result r =
        Tools.run(
            Map.of("PATH", bin + ":/usr/bin:/bin"),
            "sh",
            "-c",
            "kubectl-spinclean \"$@\"",
            "sh",
            "apply",
            "--cluster",
            "replicaSet webapp",
            "");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
    assertThat(r.out()).isEqualTo(spinclean + "\n[apply]\n[--cluster]\n[replicaSet webapp]\n[]\n");
  }

  @Test
  void theRepositoryCopyIsExecutableAndTheImageInstallsIt() throws Exception {
    assertThat(Files.isExecutable(PLUGIN)).isTrue();
    assertThat(Files.readString(Path.of("Dockerfile")))
        .contains("COPY docker/spinclean /usr/local/bin/spinclean\n")
        .contains("COPY kubectl-spinclean /usr/local/bin/kubectl-spinclean\n")
        .contains("chmod 0755 /usr/local/bin/spinclean /usr/local/bin/kubectl-spinclean");
    assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("!kubectl-spinclean");
  }
}
