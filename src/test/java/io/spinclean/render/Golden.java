package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-string comparison with a golden file in src/test/resources/render/. Run the tests with
 * {@code -Dgolden.update=true} to (re)write the files instead, then read the diff before
 * committing: the golden files are the reviewed output.
 */
final class Golden {
  static final Path DIR = Path.of("src", "test", "resources", "render");

  private Golden() {}

  static void assertMatches(String file, String actual) {
    Path path = DIR.resolve(file);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(DIR);
        Files.writeString(path, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(path).as("golden file %s (create it with -Dgolden.update=true)", path).exists();
      String expected = Files.readString(path, StandardCharsets.UTF_8);
      assertThat(actual).as("output differs from %s", path).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
