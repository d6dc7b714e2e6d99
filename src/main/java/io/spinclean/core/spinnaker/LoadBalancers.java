package io.spinclean.core.spinnaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code traffic.spinnaker.io/load-balancers} annotation: a JSON list of {@code "<kind>
 * <name>"}; the kind is case-insensitive and {@code svc} is an alias of {@code service}; the
 * Service lives in the ReplicaSet's namespace (docs/spinnaker-semantics.md#identity).
 */
public final class LoadBalancers {
  private LoadBalancers() {}

  /**
   * The outcome of reading the annotation: the Service names, or why it could not be read, phrased
   * to follow the annotation's name ("is not a JSON list of strings: ...").
   */
  public record Parsed(List<String> services, Optional<String> error) {
    public Parsed {
      services = List.copyOf(services);
    }

    static Parsed ok(List<String> services) {
      return new Parsed(services, Optional.empty());
    }

    static Parsed bad(String why) {
      return new Parsed(List.of(), Optional.of(why));
    }
  }

  /** Reads the annotation value; entries of kinds other than Service are skipped. */
  public static Parsed parse(String value) {
    List<String> entries = JsonStrings.parseStringArray(value);
    if (entries == null) {
      return Parsed.bad("is not a JSON list of strings: " + abbreviate(value));
    }
    List<String> services = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.strip().split("\\s+", -1);
      if (parts.length != 2 || parts[0].isEmpty()) {
        return Parsed.bad(
            "has an entry that is not \"<kind> <name>\": \"" + abbreviate(entry) + "\"");
      }
      String kind = parts[0].toLowerCase(Locale.ROOT);
      if (kind.equals("service") || kind.equals("svc")) {
        services.add(parts[1]);
      }
    }
    return Parsed.ok(services);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
