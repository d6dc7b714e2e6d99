package io.spinclean.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spacing of the controller's API work, on a hand-moved clock. */
class RateLimiterTest {
  long now = 1_000_000_000L;
  final List<Duration> slept = new ArrayList<>();

  @Test
  void aBurstIsSpacedAndAQuietPeriodIsNotSavedUp() throws Exception {
    RateLimiter limiter = new RateLimiter(2, () -> now, slept::add);
    for (int i = 0; i < 4; i++) {
      limiter.acquire(); // all at the same instant
    }
    assertThat(slept)
        .containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(1500));

    slept.clear();
    now += Duration.ofSeconds(60).toNanos(); // quiet for a minute
    limiter.acquire();
    limiter.acquire();
    assertThat(slept).containsExactly(Duration.ofMillis(500));
  }
}
