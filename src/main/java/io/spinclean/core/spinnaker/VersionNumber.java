package io.spinclean.core.spinnaker;

import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version's number, used only to break ties between equal creation times: from {@code
 * artifact.spinnaker.io/version} ({@code v015}), else the name's {@code -v<N>} suffix, else {@code
 * moniker.spinnaker.io/sequence}. Spinnaker formats {@code v%03d} and does not wrap: {@code v1000}
 * follows {@code v999} (docs/spinnaker-semantics.md#version-numbers), so the digits are read as a
 * number, never compared as text.
 */
public final class VersionNumber {
  private static final Pattern ARTIFACT = Pattern.compile("v(\\d{1,18})");
  private static final Pattern NAME_SUFFIX = Pattern.compile(".*-v(\\d{1,18})");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

  private VersionNumber() {}

  public static OptionalLong of(
      String name, Map<String, String> annotations, Map<String, String> labels) {
    Matcher m = ARTIFACT.matcher(Annotations.unquote(annotations.get(Annotations.VERSION)));
    if (m.matches()) {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    }
    m = NAME_SUFFIX.matcher(name);
    if (m.matches()) {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    }
    for (String seq :
        new String[] {annotations.get(Annotations.SEQUENCE), labels.get(Annotations.SEQUENCE)}) {
      String s = Annotations.unquote(seq);
      if (DIGITS.matcher(s).matches()) {
        return OptionalLong.of(Long.parseLong(s));
      }
    }
    return OptionalLong.empty();
  }
}
