package io.spinclean.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every long option can also be given as an environment variable, so that a Spinnaker Run Job
 * manifest can be templated with SpEL without rewriting its args: {@code --namespace} is {@code
 * SPINCLEAN_NAMESPACE}, {@code --keep-previous} is {@code SPINCLEAN_KEEP_PREVIOUS}, {@code -A} is
 * {@code SPINCLEAN_ALL_NAMESPACES=true}. A flag on the command line wins; an empty variable counts
 * as unset (a pipeline parameter left blank must not select an empty namespace).
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;

  EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  static String variable(OptionSpec option) {
    return "SPINCLEAN_"
        + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)
        || option.usageHelp()
        || option.versionHelp()
        || !option.longestName().startsWith("--")) {
      return null;
    }
    String value = env.get(variable(option));
    return value == null || value.isBlank() ? null : value.strip();
  }
}
