package io.spinclean.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Selector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A ReplicaSet's spec.selector evaluated as Kubernetes does (rule 3). */
class SelectorTest {
  private static final Map<String, String> POD =
      Map.of("app", "web", "version", "v002", "tier", "front");

  private static Selector exprs(Requirement... requirements) {
    return new Selector(Map.of(), List.of(requirements));
  }

  private static Requirement req(String key, String operator, String... values) {
    return new Requirement(key, operator, List.of(values));
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        Arguments.of("matchLabels, all present", Selector.of(Map.of("app", "web")), true),
        Arguments.of(
            "matchLabels, one differs",
            Selector.of(Map.of("app", "web", "version", "v001")),
            false),
        Arguments.of("matchLabels, one missing", Selector.of(Map.of("track", "")), false),
        Arguments.of("In, value listed", exprs(req("version", "In", "v001", "v002")), true),
        Arguments.of("In, value not listed", exprs(req("version", "In", "v001")), false),
        Arguments.of("In, key missing", exprs(req("track", "In", "stable")), false),
        Arguments.of("NotIn, value not listed", exprs(req("version", "NotIn", "v001")), true),
        Arguments.of("NotIn, value listed", exprs(req("version", "NotIn", "v002")), false),
        Arguments.of("NotIn, key missing", exprs(req("track", "NotIn", "canary")), true),
        Arguments.of("Exists, present", exprs(req("tier", "Exists")), true),
        Arguments.of("Exists, missing", exprs(req("track", "Exists")), false),
        Arguments.of("DoesNotExist, missing", exprs(req("track", "DoesNotExist")), true),
        Arguments.of("DoesNotExist, present", exprs(req("tier", "DoesNotExist")), false),
        Arguments.of(
            "matchLabels and expressions, all hold",
            new Selector(Map.of("app", "web"), List.of(req("tier", "In", "front", "back"))),
            true),
        Arguments.of(
            "matchLabels and expressions, one fails",
            new Selector(Map.of("app", "web"), List.of(req("tier", "NotIn", "front"))),
            false),
        // a selector that cannot be read never selects, however its other terms read
        Arguments.of("unknown operator", exprs(req("tier", "Matches", "fr.*")), false),
        Arguments.of(
            "unknown operator beside matching labels",
            new Selector(Map.of("app", "web"), List.of(req("version", "Gt", "1"))),
            false),
        Arguments.of("operators are case-sensitive", exprs(req("tier", "in", "front")), false),
        Arguments.of("In without values", exprs(req("tier", "In")), false),
        Arguments.of("Exists with values", exprs(req("tier", "Exists", "front")), false),
        Arguments.of("expression without key", exprs(req("", "Exists")), false),
        Arguments.of("no term at all", Selector.of(Map.of()), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectors")
  void matchesAsKubernetesDoes(String name, Selector selector, boolean matches) {
    assertThat(selector.matches(POD)).isEqualTo(matches);
  }

  @Test
  void problemsNameWhatCannotBeRead() {
    assertThat(exprs(req("tier", "Matches", "x")).problem())
        .contains("matchExpressions operator \"Matches\" is unknown");
    assertThat(exprs(req("tier", "NotIn")).problem())
        .contains("matchExpressions operator NotIn needs values (key tier)");
    assertThat(exprs(req("tier", "DoesNotExist", "x")).problem())
        .contains("matchExpressions operator DoesNotExist takes no values (key tier)");
    assertThat(Selector.of(Map.of()).problem())
        .contains("spec.selector is missing or empty: it would select every pod");
    assertThat(Selector.of(Map.of("", "x")).problem()).contains("a matchLabels key is empty");
    assertThat(Selector.of(Map.of("app", "web")).problem()).isEmpty();
  }
}
