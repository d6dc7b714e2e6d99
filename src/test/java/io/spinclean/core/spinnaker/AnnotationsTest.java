package io.spinclean.core.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Legacy objects carry JSON-quoted values; Spinnaker accepts both forms
 * (docs/spinnaker-semantics.md#identity).
 */
class AnnotationsTest {
  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "myapp|myapp",
        "'\"myapp\"'|myapp",
        "'\"replicaSet my app\"'|replicaSet my app",
        "'\"a\\\"b\"'|'a\"b'",
        "'\"\"'|''",
        "'\"'|'\"'",
        "'\"unterminated'|'\"unterminated'",
        "'\"a\" \"b\"'|'\"a\" \"b\"'",
        "'  myapp '|myapp",
      })
  void unquote(String raw, String expected) {
    assertThat(Annotations.unquote(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = "NULL")
  void aMissingValueIsEmpty(String raw) {
    assertThat(Annotations.unquote(raw)).isEmpty();
  }
}
