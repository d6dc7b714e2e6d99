package io.spinclean.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {
  @ParameterizedTest(name = "age({0}) = {1}")
  @CsvSource({
    "PT0S, 0s",
    "PT0.9S, 0s",
    "PT45S, 45s",
    "PT12M, 12m",
    "PT12M30S, 12m30s",
    "PT3H12M, 3h12m",
    "PT3H0M59S, 3h",
    "P5DT3H, 5d3h",
    "P5DT0H12M, 5d",
    "P400D, 400d",
    "-PT1S, future"
  })
  void ageShowsTheTwoLeadingUnits(String iso, String expected) {
    assertThat(HumanDuration.age(Duration.parse(iso))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "exact({0}) = {1}")
  @CsvSource({"PT0S, 0s", "PT10M, 10m", "PT1H30M, 1h30m", "P1DT5M, 1d5m", "P1DT1H1M1S, 1d1h1m1s"})
  void exactDropsNothingTheUserTyped(String iso, String expected) {
    assertThat(HumanDuration.exact(Duration.parse(iso))).isEqualTo(expected);
  }
}
