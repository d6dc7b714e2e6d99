package io.spinclean.core.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where a version's number comes from (docs/spinnaker-semantics.md#version-numbers): artifact
 * version, name, sequence.
 */
class VersionNumberTest {
  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.of("backend-v015", "v015", null, null, OptionalLong.of(15)),
        Arguments.of("backend-v015", "v1000", null, null, OptionalLong.of(1000)),
        Arguments.of("backend-v015", "\"v007\"", null, null, OptionalLong.of(7)),
        Arguments.of("backend-v015", null, null, null, OptionalLong.of(15)),
        Arguments.of("backend-v1001", "latest", null, null, OptionalLong.of(1001)),
        Arguments.of("backend-v2-v003", null, null, null, OptionalLong.of(3)),
        Arguments.of("backend", null, "15", null, OptionalLong.of(15)),
        Arguments.of("backend", null, "\"16\"", null, OptionalLong.of(16)),
        Arguments.of("backend", null, null, "17", OptionalLong.of(17)),
        Arguments.of("backend", null, "x", "18", OptionalLong.of(18)),
        Arguments.of("backend", "v", "", "", OptionalLong.empty()),
        Arguments.of("backend-v", null, null, null, OptionalLong.empty()),
        Arguments.of("backend-v1x", null, null, null, OptionalLong.empty()));
  }

  @ParameterizedTest(name = "{0} version={1} sequence={2}/{3} -> {4}")
  @MethodSource("numbers")
  void number(
      String name, String version, String sequence, String sequenceLabel, OptionalLong expected) {
    Map<String, String> annotations = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    if (version != null) {
      annotations.put(Annotations.VERSION, version);
    }
    if (sequence != null) {
      annotations.put(Annotations.SEQUENCE, sequence);
    }
    if (sequenceLabel != null) {
      labels.put(Annotations.SEQUENCE, sequenceLabel);
    }

    assertThat(VersionNumber.of(name, annotations, labels)).isEqualTo(expected);
  }
}
