package io.spinclean.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every folder under src/test/resources/scenarios/ holds kubectl-style dumps; each is planned
 * through the real command line (file reader, planner, renderers) and compared with the golden
 * table and JSON beside it. {@code -Dgolden.update=true} rewrites the golden files.
 */
class ScenarioGoldenTest {
  static final Path ROOT = Path.of("src/test/resources/scenarios");

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void tableAndJsonMatchTheGoldenPlan(String scenario) throws IOException {
    List<String> args = new ArrayList<>(List.of("plan"));
    try (Stream<Path> files = Files.list(ROOT.resolve(scenario))) {
      files
          .map(Path::toString)
          .filter(f -> f.matches(".*\\.(json|ya?ml)"))
          .filter(f -> !f.endsWith("expected.json"))
          .sorted()
          .forEach(f -> args.addAll(List.of("-f", f)));
    }

    Run table = Run.of(args.toArray(String[]::new));
    args.addAll(List.of("-o", "json"));
    Run json = Run.of(args.toArray(String[]::new));

    assertThat(table.err()).isEmpty();
    assertThat(table.exitCode()).isEqualTo(json.exitCode()).isIn(0, 3);
    assertThat(table.out()).isEqualTo(golden(scenario, "expected.txt", table.out()));
    assertThat(json.out()).isEqualTo(golden(scenario, "expected.json", json.out()));
  }

  private static String golden(String scenario, String name, String actual) throws IOException {
    Path file = ROOT.resolve(scenario).resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
