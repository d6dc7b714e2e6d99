package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.spinclean.core.ApiException;
import io.spinclean.kube.ApiErrors;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deletions of the last hour, kept in an annotation of the Lease the leader holds ({@value
 * LeaseElection#DELETIONS}). fabric8's elector renews the Lease with a JSON merge patch of its
 * spec, which leaves the annotation alone.
 *
 * <p>Invariants: the annotation is written only with the resourceVersion of a read that showed this
 * instance as the holder (a 409 is read again, up to {@link #ATTEMPTS} times), so a stand-by that
 * took over never has its count overwritten; a count that cannot be read is an error, never zero.
 */
final class LeaseLedger {
  static final int ATTEMPTS = 3;

  /** More would not fit the annotation budget comfortably; far above any sensible cap. */
  static final int MAX_ENTRIES = 5000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private List<Instant> known;

  LeaseLedger(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  /** A new leadership: the next {@link #deletions} reads the Lease. */
  synchronized void forget() {
    known = null;
  }

  synchronized List<Instant> deletions() throws ApiException {
    if (known == null) {
      known = parse(read());
    }
    return List.copyOf(known);
  }

  /** Whether the Lease, read now, names this instance as its holder. */
  boolean holds() {
    try {
      Lease lease = lease().get();
      return lease != null
          && lease.getSpec() != null
          && identity.equals(lease.getSpec().getHolderIdentity());
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  synchronized void record(List<Instant> lastHour) throws ApiException {
    List<Instant> sorted = lastHour.stream().sorted().toList();
    known = sorted.subList(Math.max(0, sorted.size() - MAX_ENTRIES), sorted.size());
    String value = known.stream().map(Instant::toString).collect(Collectors.joining(","));
    for (int attempt = 1; ; attempt++) {
      Lease lease = read();
      if (lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        throw new ApiException(
            "Lease " + namespace + "/" + name + " is no longer held by " + identity);
      }
      Map<String, Object> patch =
          Map.of(
              "metadata",
              Map.of(
                  "resourceVersion",
                  lease.getMetadata().getResourceVersion(),
                  "annotations",
                  Map.of(LeaseElection.DELETIONS, value)));
      try {
        lease().patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw ApiErrors.exception(client, "patch", "leases", namespace, e);
        }
      }
    }
  }

  private Lease read() throws ApiException {
    Lease lease;
    try {
      lease = lease().get();
    } catch (KubernetesClientException e) {
      throw ApiErrors.exception(client, "get", "leases", namespace, e);
    }
    if (lease == null) {
      throw new ApiException("Lease " + namespace + "/" + name + " does not exist");
    }
    return lease;
  }

  private List<Instant> parse(Lease lease) throws ApiException {
    Map<String, String> annotations = lease.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(LeaseElection.DELETIONS);
    List<Instant> out = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String part : value.split(",", -1)) {
      try {
        out.add(Instant.parse(part.strip()));
      } catch (DateTimeParseException e) {
        throw new ApiException(
            "Lease "
                + namespace
                + "/"
                + name
                + ": annotation "
                + LeaseElection.DELETIONS
                + " holds "
                + part
                + ", not an instant: fix or remove the annotation",
            e);
      }
    }
    return out;
  }

  private Resource<Lease> lease() {
    return client.resources(Lease.class).inNamespace(namespace).withName(name);
  }
}
