package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.ApiException;
import io.spinclean.kube.ApiErrors;
import io.spinclean.kube.KubeConnection;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates core/v1 Events on ReplicaSets, so that {@code kubectl describe rs NAME} shows what
 * spinclean did or refused and why. Source component {@value #COMPONENT}.
 *
 * <p>Invariant: one request per Event, a create only; an Event's name is unique (the object's name
 * and a random suffix, as kubectl's recorder does), so two instances never conflict.
 */
public final class EventRecorder {
  public static final String COMPONENT = "spinclean";
  // The API server rejects longer messages.
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;

  private EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public static EventRecorder create(KubeConnection connection, Clock clock) {
    return new EventRecorder(connection.client(), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Creates one Event about a ReplicaSet.
   *
   * @param warning type Warning (a refusal, a failure), else Normal
   * @param reason CamelCase, e.g. {@code Deleted}
   * @throws ApiException the Event could not be created (e.g. no RBAC permission)
   */
  public void record(
      String namespace,
      String replicaSet,
      String uid,
      boolean warning,
      String reason,
      String message)
      throws ApiException {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String text =
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(
                replicaSet
                    + "."
                    + UUID.randomUUID()
                        .toString()
                        .replace("-", "")
                        .substring(0, 16)
                        .toLowerCase(Locale.ROOT))
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withNamespace(namespace)
            .withName(replicaSet)
            .withUid(uid.isEmpty() ? null : uid)
            .endInvolvedObject()
            .withType(warning ? "Warning" : "Normal")
            .withReason(reason)
            .withMessage(text)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      throw ApiErrors.exception(client, "create", "events", namespace, e);
    }
  }
}
