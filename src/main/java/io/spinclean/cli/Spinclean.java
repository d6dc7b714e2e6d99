package io.spinclean.cli;

import io.spinclean.render.SpinnakerOutput;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code spinclean} command. Everything a command prints goes through {@link #out} and {@link
 * #err}, and time through {@link #clock}, so tests run it in-process with captured output.
 */
@Command(
    name = "spinclean",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    description = {
      "Puts Kubernetes clusters left behind by failed Spinnaker blue/green deploys back into a"
          + " healthy state: per Spinnaker cluster, keep the newest version that serves traffic"
          + " and delete the others.",
      ""
    },
    footer = {
      "",
      "Every long option can also be set as an environment variable: --namespace as"
          + " SPINCLEAN_NAMESPACE, --keep-previous as SPINCLEAN_KEEP_PREVIOUS, and so on; a flag"
          + " always wins (-n also over SPINCLEAN_ALL_NAMESPACES, -A over SPINCLEAN_NAMESPACE),"
          + " an empty variable is ignored.",
      "",
      "Exit codes: 0 ok; 1 could not run (API, auth, I/O); 2 usage error or unreadable input;"
          + " 3 a cluster was refused or a deletion skipped; 4 a deletion failed; 5 deleted, but"
          + " --wait ended with objects remaining."
    })
public final class Spinclean implements Runnable {
  /** The subcommands, in the order the help lists them. */
  private static final List<String> COMMANDS =
      List.of("plan", "apply", "demo", "watch", "completion");

  final PrintStream out;
  final PrintStream err;
  final InputStream in;
  final Clock clock;

  /** The process environment (tests inject one): e.g. where apply's state directory is. */
  final Map<String, String> env;

  Spinclean(
      PrintStream out, PrintStream err, InputStream in, Clock clock, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.clock = clock;
    this.env = Map.copyOf(env);
  }

  @Override
  public void run() {
    throw new ParameterException(
        new CommandLine(this), "a command is required: plan, apply, watch, demo or completion");
  }

  /**
   * The class of a subcommand, named only on the branch taken: a class literal loads its class, and
   * a command not invoked need not be loaded at all.
   */
  private static Class<?> command(String name) {
    return switch (name) {
      case "plan" -> PlanCommand.class;
      case "apply" -> ApplyCommand.class;
      case "demo" -> DemoCommand.class;
      case "watch" -> WatchCommand.class;
      case "completion" -> CompletionCommand.class;
      default -> throw new IllegalArgumentException("no such command: " + name);
    };
  }

  /** Runs one command line without environment variables (tests). */
  public static int run(
      String[] args, PrintStream out, PrintStream err, InputStream in, Clock clock) {
    return run(args, out, err, in, clock, Map.of());
  }

  /**
   * Runs one command line and returns its exit code; never calls System.exit.
   *
   * @param env the process environment: {@code SPINCLEAN_*} variables stand in for flags
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      InputStream in,
      Clock clock,
      Map<String, String> env) {
    CommandLine cli = new CommandLine(new Spinclean(out, err, in, clock, env));
    // picocli builds the model of every subcommand it is given (reflection over its options and
    // mixins): give it only the one the command line names. Anything else (no command, --help,
    // an unknown or misspelt command, completion, which describes the whole tree) gets them all,
    // for the same help, errors and "Did you mean" suggestions.
    boolean alone = args.length > 0 && COMMANDS.contains(args[0]) && !args[0].equals("completion");
    for (String name : COMMANDS) {
      if (!alone || name.equals(args[0])) {
        cli.addSubcommand(command(name));
      }
    }
    EnvironmentDefaults defaults = new EnvironmentDefaults(env);
    cli.setDefaultValueProvider(defaults);
    cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine sub = ex.getCommandLine();
          String message = defaults.explain(ex);
          if (asksForSpinnakerOutput(args, env)) {
            // the stage's outputs say why it failed, as for every other error
            err.println("spinclean: " + SpinnakerOutput.neutralise(message));
            out.print(SpinnakerOutput.error(message, ExitCode.USAGE));
          } else {
            err.println("spinclean: " + message);
          }
          err.println("See '" + sub.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, sub, parsed) -> {
          if (ex instanceof ParameterException pe) {
            return sub.getParameterExceptionHandler().handleParseException(pe, args);
          }
          // A bug, not a user error: keep the trace, it is what a bug report needs.
          err.println("spinclean: internal error: " + ex);
          ex.printStackTrace(err);
          return ExitCode.COULD_NOT_RUN;
        });
    return cli.execute(args);
  }

  /**
   * Whether the command line asks for {@code -o spinnaker}, read from the raw arguments: a usage
   * error means picocli could not parse them, yet a Run Job stage still needs its outputs line.
   */
  static boolean asksForSpinnakerOutput(String[] args, Map<String, String> env) {
    String value = env.get("SPINCLEAN_OUTPUT");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length) {
        value = args[++i];
      } else if (a.startsWith("--output=")) {
        value = a.substring("--output=".length());
      } else if (a.startsWith("-o") && !a.startsWith("--")) {
        value = a.substring(2).replaceFirst("^=", "");
      }
    }
    return value != null && value.equalsIgnoreCase("spinnaker");
  }
}
