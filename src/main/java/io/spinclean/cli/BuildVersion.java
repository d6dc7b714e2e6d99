package io.spinclean.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build's version and commit, written into the jar at build time. */
final class BuildVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream("/spinclean-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
      "spinclean "
          + p.getProperty("version", "unknown")
          + " (commit "
          + p.getProperty("commit", "unknown")
          + ")",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
