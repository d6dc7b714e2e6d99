package io.spinclean.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations written the way kubectl and Go write them: {@code 90s}, {@code 10m}, {@code 1h30m},
 * {@code 2d}, {@code 500ms}, or {@code 0}.
 *
 * <p>Every duration is bounded, so that no flag's value can overflow a deadline later (issue 10: a
 * {@code --drain} of {@code 1000000000000d} ended an apply that had already deleted in "internal
 * error"): at most {@link #MAX} by default, less for the flags that wait ({@link UpToAnHour},
 * {@link UpToADay}). A longer value is a usage error that names the bound.
 */
class GoDuration implements ITypeConverter<Duration> {
  /** The most any duration flag accepts. */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Duration max;

  GoDuration() {
    this(MAX);
  }

  private GoDuration(Duration max) {
    this.max = max;
  }

  /** For {@code --drain} and {@code --wait}: how long apply waits for one thing, at most 1h. */
  static final class UpToAnHour extends GoDuration {
    UpToAnHour() {
      super(Duration.ofHours(1));
    }
  }

  /** For {@code --settle}: at most 24h. */
  static final class UpToADay extends GoDuration {
    UpToADay() {
      super(Duration.ofDays(1));
    }
  }

  @Override
  public Duration convert(String value) {
    return parse(value, max);
  }

  /** Parses a duration of at most {@link #MAX}. */
  static Duration parse(String value) {
    return parse(value, MAX);
  }

  private static Duration parse(String value, Duration max) {
    String v = value.strip();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(v).matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 30s, 10m, 1h30m, 2d)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      total = null; // beyond what a Duration holds: certainly beyond the bound
    }
    if (total == null || total.compareTo(max) > 0) {
      throw new TypeConversionException("'" + value + "' is too long: at most " + format(max));
    }
    return total;
  }

  /** The inverse of {@link #parse}, for messages: {@code 1h30m}, {@code 45s}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      sb.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      sb.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      sb.append(d.toMillisPart()).append("ms");
    }
    return sb.toString();
  }
}
