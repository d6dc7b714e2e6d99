package io.spinclean.core;

import static io.spinclean.core.Clusters.cluster;
import static io.spinclean.core.Clusters.rs;
import static io.spinclean.core.Clusters.snapshot;
import static io.spinclean.core.Plans.only;
import static io.spinclean.core.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinclean.core.Clusters.VersionBuilder;
import io.spinclean.core.spinnaker.Annotations;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 5: versions are ordered by creationTimestamp (Spinnaker's "newest",
 * docs/spinnaker-semantics.md#clusters); ties are broken by the version number from {@code
 * artifact.spinnaker.io/version}, else the name's {@code -vNNN} suffix, else {@code
 * moniker.spinnaker.io/sequence}; {@code v1000} follows {@code v999}. Every version here serves, so
 * the newest is the keeper and the others are deleted.
 */
class OrderingTest {
  private static final String T = "2026-11-20T10:00:00Z";

  static Stream<Arguments> orders() {
    return Stream.of(
        Arguments.of(
            "creation time, not the number",
            List.of(
                rs("app-v011").created("2026-11-20T10:00:00Z").serving(1),
                rs("app-v010").created("2026-11-21T10:00:00Z").serving(1)),
            List.of("app-v011", "app-v010")),
        Arguments.of(
            "creation time to the second",
            List.of(
                rs("app-v002").created("2026-11-20T10:00:01Z").serving(1),
                rs("app-v001").created("2026-11-20T10:00:02Z").serving(1)),
            List.of("app-v002", "app-v001")),
        Arguments.of(
            "tie: artifact version",
            List.of(rs("app-v010").created(T).serving(1), rs("app-v009").created(T).serving(1)),
            List.of("app-v009", "app-v010")),
        Arguments.of(
            "tie: v1000 follows v999",
            List.of(rs("app-v1000").created(T).serving(1), rs("app-v999").created(T).serving(1)),
            List.of("app-v999", "app-v1000")),
        Arguments.of(
            "tie: artifact version wins over the name",
            List.of(
                rs("app-v001").annotation(Annotations.VERSION, "v003").created(T).serving(1),
                rs("app-v002").created(T).serving(1)),
            List.of("app-v002", "app-v001")),
        Arguments.of(
            "tie: legacy JSON-quoted artifact version",
            List.of(
                rs("app-v001").annotation(Annotations.VERSION, "\"v003\"").created(T).serving(1),
                rs("app-v002").created(T).serving(1)),
            List.of("app-v002", "app-v001")),
        Arguments.of(
            "tie: no artifact version, the name suffix",
            List.of(
                noArtifact(rs("app-v1000")).created(T).serving(1),
                noArtifact(rs("app-v999")).created(T).serving(1)),
            List.of("app-v999", "app-v1000")),
        Arguments.of(
            "tie: an unparseable artifact version falls back to the name",
            List.of(
                rs("app-v002").annotation(Annotations.VERSION, "latest").created(T).serving(1),
                rs("app-v001").annotation(Annotations.VERSION, "latest").created(T).serving(1)),
            List.of("app-v001", "app-v002")),
        Arguments.of(
            "tie: neither, the sequence annotation",
            List.of(
                rs("app-blue").annotation(Annotations.SEQUENCE, "12").created(T).serving(1),
                rs("app-green").annotation(Annotations.SEQUENCE, "9").created(T).serving(1)),
            List.of("app-green", "app-blue")),
        Arguments.of(
            "tie: no number at all, the name",
            List.of(rs("app-green").created(T).serving(1), rs("app-blue").created(T).serving(1)),
            List.of("app-blue", "app-green")));
  }

  private static VersionBuilder noArtifact(VersionBuilder v) {
    return v.withoutAnnotation(Annotations.VERSION).withoutAnnotation(Annotations.SEQUENCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orders")
  void oldestFirstAndTheNewestServingIsKept(
      String name, List<VersionBuilder> versions, List<String> oldestFirst) {
    ClusterPlan plan =
        only(
            plan(
                snapshot(
                    cluster("app").service("app").with(versions.toArray(VersionBuilder[]::new)))));

    assertThat(plan.versions())
        .extracting(VersionPlan::name)
        .containsExactlyElementsOf(oldestFirst);
    assertThat(plan.keep()).contains(oldestFirst.get(oldestFirst.size() - 1));
    assertThat(plan.deletions())
        .extracting(VersionPlan::name)
        .containsExactlyElementsOf(oldestFirst.subList(0, oldestFirst.size() - 1));
  }
}
