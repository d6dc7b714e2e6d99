package io.spinclean.cli;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Every long option can also be given as an environment variable, so that a Spinnaker Run Job
 * manifest can be templated with SpEL without rewriting its args: {@code --namespace} is {@code
 * SPINCLEAN_NAMESPACE}, {@code --keep-previous} is {@code SPINCLEAN_KEEP_PREVIOUS}, {@code -A} is
 * {@code SPINCLEAN_ALL_NAMESPACES=true}. An empty variable counts as unset (a pipeline parameter
 * left blank must not select an empty namespace).
 *
 * <p>A flag on the command line always wins: over the variable of the same option (picocli asks for
 * defaults only for options the command line did not give), and over the variable of a rival option
 * that the flag excludes ({@code -n} silences {@code SPINCLEAN_ALL_NAMESPACES}, {@code -A} silences
 * {@code SPINCLEAN_NAMESPACE}; {@code --context} and {@code --all-contexts} likewise). A usage
 * error about a value that came from a variable names the variable and its value ({@link
 * #explain}).
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  /** Options that exclude each other: a flag for one silences the variable of the other. */
  private static final Map<String, String> RIVALS =
      Map.of(
          "--namespace", "--all-namespaces",
          "--all-namespaces", "--namespace",
          "--context", "--all-contexts",
          "--all-contexts", "--context");

  /** picocli's prefix of a conversion error, e.g. {@code Invalid value for option '--x': }. */
  private static final Pattern INVALID_VALUE =
      Pattern.compile("^Invalid value for option '[^']*': ");

  /**
   * What Kubernetes sets for a Service, Docker-link style: {@code <SERVICE>_PORT=tcp://ip:port}.
   */
  private static final Pattern SERVICE_LINK = Pattern.compile("^(tcp|udp|sctp)://.*");

  /**
   * Options whose value may be a secret (a Slack webhook URL holds one): an error never echoes a
   * variable's value for them.
   */
  private static final Pattern SECRET =
      Pattern.compile("webhook|token|secret|password|url", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> env;

  /** The options this provider gave a value, and the {@code VARIABLE=value} it came from. */
  private final IdentityHashMap<ArgSpec, String> supplied = new IdentityHashMap<>();

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
    if (value == null || value.isBlank() || rivalOnCommandLine(option)) {
      return null;
    }
    supplied.put(option, variable(option) + "=" + value);
    return value.strip();
  }

  /**
   * The message of a usage error, naming the variable when the value came from one: {@code
   * SPINCLEAN_KEEP_PREVIOUS=-1: --keep-previous must be 0 or more, not -1}. An error is about an
   * option when picocli says so (a value that cannot be converted) or when its message starts with
   * the option's name, as spinclean's own checks do.
   */
  String explain(ParameterException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    ArgSpec about = e.getArgSpec() != null ? e.getArgSpec() : namedAtStart(e, message);
    String source = about == null ? null : supplied.get(about);
    if (source == null || !(about instanceof OptionSpec option)) {
      return message;
    }
    String problem = message;
    if (INVALID_VALUE.matcher(message).find()) {
      problem =
          INVALID_VALUE.matcher(message).replaceFirst("") + " (for " + option.longestName() + ")";
    }
    String value = source.substring(source.indexOf('=') + 1);
    String name = source.substring(0, source.indexOf('='));
    if (SECRET.matcher(option.longestName()).find()) {
      return name + "=(redacted): " + problem.replace(value.strip(), "(redacted)");
    }
    String hint = "";
    if (SERVICE_LINK.matcher(value.strip()).matches() && name.endsWith("_PORT")) {
      String service =
          name.substring(0, name.length() - "_PORT".length())
              .toLowerCase(Locale.ROOT)
              .replace('_', '-');
      hint =
          "; Kubernetes sets variables like this for a Service named "
              + service
              + " unless the pod has enableServiceLinks: false";
    }
    return source + ": " + problem + hint;
  }

  private static boolean rivalOnCommandLine(OptionSpec option) {
    String rival = RIVALS.get(option.longestName());
    CommandSpec command = option.command();
    if (rival == null || command == null || command.commandLine() == null) {
      return false;
    }
    // Defaults are applied after the command line was read: what it matched is known.
    ParseResult parsed = command.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(rival);
  }

  /** The option whose name starts the message, e.g. {@code -n/--namespace must not be empty}. */
  private static ArgSpec namedAtStart(ParameterException e, String message) {
    if (e.getCommandLine() == null) {
      return null;
    }
    String lead = message.split("[ :]", 2)[0];
    for (String name : lead.split("/", -1)) {
      OptionSpec option =
          name.startsWith("-") ? e.getCommandLine().getCommandSpec().findOption(name) : null;
      if (option != null) {
        return option;
      }
    }
    return null;
  }
}
