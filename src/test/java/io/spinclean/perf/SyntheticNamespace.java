package io.spinclean.perf;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/**
 * A synthetic namespace in kubectl's {@code List} JSON: {@code clusters} Spinnaker clusters, each
 * with one Service and {@code versions} ReplicaSets of {@code pods} pods. The newest version of a
 * cluster serves (its pods carry the Service's selector label and are Ready); every older one was
 * disabled by Spinnaker (label removed) and is planned for deletion with the default policy. So a
 * plan deletes {@code clusters * (versions - 1)} ReplicaSets.
 *
 * <p>Objects carry what real ones carry and the planner does not read ({@code managedFields},
 * {@code last-applied-configuration}, container specs, container statuses), so memory and parsing
 * are measured on realistic sizes (about 3 KB of JSON per pod).
 *
 * <p>Invariant: the same arguments always give the same bytes (uids and times are derived from the
 * indices), so runs are comparable.
 */
public final class SyntheticNamespace {
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private final String namespace;
  private final int clusters;
  private final int versions;
  private final int pods;

  public SyntheticNamespace(String namespace, int clusters, int versions, int pods) {
    if (clusters < 1 || versions < 1 || pods < 0) {
      throw new IllegalArgumentException("need clusters >= 1, versions >= 1, pods >= 0");
    }
    this.namespace = namespace;
    this.clusters = clusters;
    this.versions = versions;
    this.pods = pods;
  }

  public int replicaSets() {
    return clusters * versions;
  }

  public int podCount() {
    return clusters * versions * pods;
  }

  /** ReplicaSets a plan with the default policy deletes. */
  public int deletions() {
    return clusters * (versions - 1);
  }

  /** Receives the objects one by one: the collection path to create them at, and their JSON. */
  public interface Sink {
    void item(String collectionPath, String json) throws IOException;
  }

  /** Services first, then each ReplicaSet followed by its pods. */
  public void forEach(Sink sink) throws IOException {
    String core = "/api/v1/namespaces/" + namespace;
    String apps = "/apis/apps/v1/namespaces/" + namespace;
    for (int c = 0; c < clusters; c++) {
      sink.item(core + "/services", service(c));
      for (int v = 1; v <= versions; v++) {
        sink.item(apps + "/replicasets", replicaSet(c, v));
        for (int p = 0; p < pods; p++) {
          sink.item(core + "/pods", pod(c, v, p));
        }
      }
    }
  }

  /** The whole namespace as {@code kubectl get rs,pods,svc -o json} prints it. */
  public void write(Writer out) throws IOException {
    out.write("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{},\"items\":[\n");
    boolean[] first = {true};
    forEach(
        (path, json) -> {
          if (!first[0]) {
            out.write(",\n");
          }
          out.write(json);
          first[0] = false;
        });
    out.write("\n]}\n");
  }

  private static String app(int c) {
    return "app" + c;
  }

  private static String rsName(int c, int v) {
    return app(c) + "-v" + String.format("%03d", v);
  }

  private static String uid(int kind, int c, int v, int p) {
    return String.format("%08x-%04x-4000-8000-%012x", c, kind, ((long) v << 24) | p);
  }

  private static String time(int c, int v) {
    return BASE.plusSeconds(3600L * v + c).toString();
  }

  private String service(int c) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\""
        + app(c)
        + "\",\"namespace\":\""
        + namespace
        + "\",\"uid\":\""
        + uid(1, c, 0, 0)
        + "\",\"creationTimestamp\":\""
        + time(c, 0)
        + "\",\"annotations\":{"
        + "\"moniker.spinnaker.io/application\":\""
        + app(c)
        + "\","
        + "\"moniker.spinnaker.io/cluster\":\"service "
        + app(c)
        + "\"}},"
        + "\"spec\":{\"type\":\"ClusterIP\",\"ports\":[{\"port\":80,\"targetPort\":8080,"
        + "\"protocol\":\"TCP\"}],\"selector\":{\"load-balancer\":\""
        + app(c)
        + "\"}}}";
  }

  private String replicaSet(int c, int v) {
    String name = rsName(c, v);
    String labels = "\"app\":\"" + app(c) + "\",\"version\":\"v" + v + "\"";
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\",\"uid\":\""
        + uid(2, c, v, 0)
        + "\",\"creationTimestamp\":\""
        + time(c, v)
        + "\",\"generation\":1,"
        + "\"labels\":{\"app.kubernetes.io/managed-by\":\"spinnaker\",\"app.kubernetes.io/name\":\""
        + app(c)
        + "\",\"moniker.spinnaker.io/sequence\":\""
        + v
        + "\"},"
        + "\"annotations\":{\"artifact.spinnaker.io/name\":\""
        + app(c)
        + "\","
        + "\"artifact.spinnaker.io/type\":\"kubernetes/replicaSet\","
        + "\"artifact.spinnaker.io/version\":\"v"
        + v
        + "\","
        + "\"moniker.spinnaker.io/application\":\""
        + app(c)
        + "\","
        + "\"moniker.spinnaker.io/cluster\":\"replicaSet "
        + app(c)
        + "\","
        + "\"moniker.spinnaker.io/sequence\":\""
        + v
        + "\","
        + "\"traffic.spinnaker.io/load-balancers\":\"[\\\"service "
        + app(c)
        + "\\\"]\","
        + "\"kubectl.kubernetes.io/last-applied-configuration\":\""
        + lastApplied(name)
        + "\"},"
        + managedFields()
        + "},"
        + "\"spec\":{\"replicas\":"
        + pods
        + ",\"selector\":{\"matchLabels\":{"
        + labels
        + "}},"
        + "\"template\":{\"metadata\":{\"labels\":{"
        + labels
        + ",\"load-balancer\":\""
        + app(c)
        + "\"}},\"spec\":"
        + podSpec(c, v)
        + "}},"
        + "\"status\":{\"replicas\":"
        + pods
        + ",\"readyReplicas\":"
        + pods
        + ",\"availableReplicas\":"
        + pods
        + ",\"observedGeneration\":1}}";
  }

  private String pod(int c, int v, int p) {
    String rs = rsName(c, v);
    String name = rs + "-" + String.format("%05d", p);
    boolean serving = v == versions;
    String labels =
        "\"app\":\""
            + app(c)
            + "\",\"version\":\"v"
            + v
            + "\""
            + (serving ? ",\"load-balancer\":\"" + app(c) + "\"" : "");
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\",\"uid\":\""
        + uid(3, c, v, p)
        + "\",\"creationTimestamp\":\""
        + time(c, v)
        + "\",\"labels\":{"
        + labels
        + "},"
        + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\""
        + rs
        + "\",\"uid\":\""
        + uid(2, c, v, 0)
        + "\",\"controller\":true,"
        + "\"blockOwnerDeletion\":true}],"
        + managedFields()
        + "},"
        + "\"spec\":"
        + podSpec(c, v)
        + ","
        + "\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.1."
        + (p % 250)
        + "."
        + (v % 250)
        + "\",\"startTime\":\""
        + time(c, v)
        + "\","
        + "\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"},"
        + "{\"type\":\"Ready\",\"status\":\"True\"},"
        + "{\"type\":\"ContainersReady\",\"status\":\"True\"},"
        + "{\"type\":\"PodScheduled\",\"status\":\"True\"}],"
        + "\"containerStatuses\":[{\"name\":\"main\",\"ready\":true,\"restartCount\":0,"
        + "\"started\":true,\"image\":\"registry.example.com/"
        + app(c)
        + ":v"
        + v
        + "\","
        + "\"imageID\":\"registry.example.com/"
        + app(c)
        + "@sha256:"
        + "0".repeat(64)
        + "\","
        + "\"containerID\":\"containerd://"
        + "f".repeat(64)
        + "\","
        + "\"state\":{\"running\":{\"startedAt\":\""
        + time(c, v)
        + "\"}}}]}}";
  }

  private static String podSpec(int c, int v) {
    StringBuilder env = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      env.append(i == 0 ? "" : ",")
          .append("{\"name\":\"SETTING_")
          .append(i)
          .append("\",\"value\":\"value-of-setting-")
          .append(i)
          .append("\"}");
    }
    return "{\"containers\":[{\"name\":\"main\",\"image\":\"registry.example.com/"
        + app(c)
        + ":v"
        + v
        + "\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],"
        + "\"env\":["
        + env
        + "],\"resources\":{\"requests\":{\"cpu\":\"100m\","
        + "\"memory\":\"128Mi\"},\"limits\":{\"memory\":\"256Mi\"}},"
        + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/health\",\"port\":8080},"
        + "\"periodSeconds\":5},\"volumeMounts\":[{\"name\":\"config\","
        + "\"mountPath\":\"/etc/config\"}]}],\"volumes\":[{\"name\":\"config\","
        + "\"configMap\":{\"name\":\""
        + app(c)
        + "-config\"}}],\"restartPolicy\":\"Always\","
        + "\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\"}";
  }

  private static String managedFields() {
    return "\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\","
        + "\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":"
        + "{\"f:labels\":{\".\":{},\"f:app\":{},\"f:version\":{}}},\"f:spec\":{\"f:containers\":"
        + "{\"k:{\\\"name\\\":\\\"main\\\"}\":{\".\":{},\"f:env\":{},\"f:image\":{},"
        + "\"f:ports\":{},\"f:resources\":{}}}}}},{\"manager\":\"kubelet\","
        + "\"operation\":\"Update\",\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\","
        + "\"subresource\":\"status\",\"fieldsV1\":{\"f:status\":{\"f:conditions\":{},"
        + "\"f:containerStatuses\":{},\"f:phase\":{},\"f:podIP\":{}}}}]";
  }

  private static String lastApplied(String name) {
    // kubectl apply's copy of the manifest; the planner never reads it (SnapshotMapper drops it)
    return "{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"ReplicaSet\\\","
        + "\\\"metadata\\\":{\\\"name\\\":\\\""
        + name
        + "\\\"},\\\"spec\\\":{\\\"replicas\\\":1,"
        + "\\\"template\\\":{\\\"spec\\\":{\\\"containers\\\":[{\\\"name\\\":\\\"main\\\","
        + "\\\"image\\\":\\\"registry.example.com/"
        + name
        + "\\\"}]}}}}";
  }
}
