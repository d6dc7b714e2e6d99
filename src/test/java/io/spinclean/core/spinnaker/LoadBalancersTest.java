package io.spinclean.core.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code traffic.spinnaker.io/load-balancers}: a JSON list of {@code "<kind> <name>"}; kind is
 * case-insensitive, {@code svc} is an alias of {@code service}; other kinds are skipped.
 */
class LoadBalancersTest {
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("[\"service backendlb\"]", List.of("backendlb")),
        Arguments.of("[\"Service a\", \"SVC b\", \"svc c\"]", List.of("a", "b", "c")),
        Arguments.of("[\"ingress a\", \"service b\"]", List.of("b")),
        Arguments.of("[\"service a\\u002dx\"]", List.of("a-x")),
        Arguments.of("[]", List.of()),
        Arguments.of("\n[ \"service\\ta\" ]\n", List.of("a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void services(String value, List<String> expected) {
    LoadBalancers.Parsed parsed = LoadBalancers.parse(value);

    assertThat(parsed.error()).isEmpty();
    assertThat(parsed.services()).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("service a", "is not a JSON list of strings: service a"),
        Arguments.of("[\"service a\",]", "is not a JSON list of strings: [\"service a\",]"),
        Arguments.of("[\"service a\" \"service b\"]", "is not a JSON list of strings"),
        Arguments.of("[\"service a\\x\"]", "is not a JSON list of strings"),
        Arguments.of("[null]", "is not a JSON list of strings"),
        Arguments.of("[\"service\"]", "has an entry that is not \"<kind> <name>\": \"service\""),
        Arguments.of("[\"a b c\"]", "has an entry that is not \"<kind> <name>\": \"a b c\""),
        Arguments.of("[\"   \"]", "has an entry that is not \"<kind> <name>\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void malformed(String value, String why) {
    assertThat(LoadBalancers.parse(value).error())
        .hasValueSatisfying(e -> assertThat(e).startsWith(why));
  }
}
