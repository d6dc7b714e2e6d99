package io.spinclean.watch;

import io.spinclean.core.ClusterKey;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.VersionPlan;
import io.spinclean.render.SafeText;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the controller's log: one line per event, as text ({@code time level key=value ...
 * message}) or as one JSON object per line. A line about a cluster names the cluster; a line about
 * a version names the version too, so a log query for one version finds everything about it.
 *
 * <p>Invariant: one event is one line, whatever the cluster data: names and annotation values go
 * through {@link SafeText}, so a newline, carriage return, terminal escape or bidi control shows as
 * an escape and cannot forge another line or hide this one.
 */
public final class LogReporter implements Reporter {
  /** {@code --log-format}. */
  public enum Format {
    TEXT,
    JSON
  }

  private final PrintStream out;
  private final Clock clock;
  private final Format format;

  public LogReporter(PrintStream out, Clock clock, Format format) {
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.format = Objects.requireNonNull(format, "format");
  }

  @Override
  public void report(Decision d) {
    ClusterKey key = d.plan().key();
    switch (d.kind()) {
      case EXECUTED -> {
        for (DeletionResult r : d.report().orElseThrow().results()) {
          line(
              "info",
              key,
              r.name(),
              "outcome",
              r.outcome().name(),
              r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                  + (r.detail().isEmpty() ? "" : ": " + r.detail()));
        }
      }
      case WOULD_DELETE -> {
        for (VersionPlan v : d.plan().deletions()) {
          line(
              "info",
              key,
              v.name(),
              "reason",
              v.reason().name(),
              "dry run: would delete (" + v.reason() + "): " + v.detail());
        }
      }
      case REFUSED -> line("warn", key, null, "reason", d.plan().reason().name(), d.message());
      case CAPPED -> line("warn", key, null, "reason", "MAX_DELETIONS_PER_HOUR", d.message());
      default -> throw new IllegalStateException("unknown decision " + d.kind());
    }
  }

  /**
   * The backup of one version, written (and flushed) before its DELETE is sent: the line carries
   * the version's manifest, a YAML document that {@code kubectl create -f} re-creates (issue 12).
   */
  public void backup(String namespace, String version, String manifest) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("namespace", namespace);
    fields.put("version", version);
    fields.put("manifest", manifest);
    lineWith("info", fields, "backed up before its delete; restore with kubectl create -f");
    if (out.checkError()) {
      throw new IOException("cannot write to the log");
    }
  }

  /** A line about the controller itself (start, stop, errors). */
  public void info(String message) {
    line("info", null, null, null, null, message);
  }

  public void error(String message) {
    line("error", null, null, null, null, message);
  }

  private void line(
      String level, ClusterKey key, String version, String field, String value, String message) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (key != null) {
      fields.put("namespace", key.namespace());
      fields.put("application", key.application());
      fields.put("cluster", key.cluster());
    }
    if (version != null) {
      fields.put("version", version);
    }
    if (field != null) {
      fields.put(field, value);
    }
    lineWith(level, fields, message);
  }

  private synchronized void lineWith(String level, Map<String, String> more, String message) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("time", clock.instant().toString());
    fields.put("level", level);
    fields.putAll(more);
    fields.put("msg", message);
    out.println(format == Format.JSON ? json(fields) : text(fields));
    out.flush();
  }

  private static String text(Map<String, String> fields) {
    StringBuilder s = new StringBuilder();
    fields.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append(' ');
          }
          if (k.equals("time") || k.equals("level") || k.equals("msg")) {
            s.append(SafeText.printable(v));
          } else {
            boolean plain = v.matches("[^\\s\"=]+") && SafeText.isPrintable(v);
            s.append(k).append('=').append(plain ? v : SafeText.json(v));
          }
        });
    return s.toString();
  }

  private static String json(Map<String, String> fields) {
    StringBuilder s = new StringBuilder("{");
    fields.forEach(
        (k, v) -> {
          if (s.length() > 1) {
            s.append(',');
          }
          s.append(SafeText.json(k)).append(':').append(SafeText.json(v));
        });
    return s.append('}').toString();
  }
}
