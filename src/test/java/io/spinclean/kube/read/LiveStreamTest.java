package io.spinclean.kube.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.spinclean.core.ApiException;
import io.spinclean.core.Snapshot;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live read streams each page into records (issue 11): unknown fields are skipped, and a page
 * that cannot be read is one sentence naming the server and the object or the list.
 */
class LiveStreamTest {
  private KubernetesMockServer server;
  private KubeConnection conn;

  @BeforeEach
  void start() throws Exception {
    server = LiveReaderTest.startMock(false);
    conn = LiveReaderTest.connect(url());
  }

  @AfterEach
  void stop() {
    conn.close();
    server.destroy();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private void answer(String path, String body) {
    server.expect().get().withPath(path).andReturn(200, body).always();
  }

  @Test
  void aPageIsReadFieldByFieldWhateverElseItHolds() throws Exception {
    answer(
        LiveReaderTest.RS_X,
        """
        {"kind": "ReplicaSetList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "9"},
         "items": [{"metadata": {"name": "web-v001", "namespace": "x", "uid": "u1",
           "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}],
           "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\\"a\\": 1}",
                           "moniker.spinnaker.io/application": "web"}},
           "spec": {"replicas": "2", "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "c", "image": "i"}]}}},
           "status": {"replicas": 2, "conditions": []},
           "somethingNew": {"nested": [1, 2, {"deep": true}]}}]}
        """);
    answer(LiveReaderTest.PODS_X, "{\"kind\": \"PodList\", \"items\": []}");
    answer(LiveReaderTest.SVC_X, "{\"kind\": \"ServiceList\", \"items\": []}");

    Snapshot s = LiveReader.snapshot(conn, Scope.of("x"), LiveReaderTest.CLOCK);

    assertThat(s.replicaSets()).hasSize(1);
    var rs = s.replicaSets().get(0);
    assertThat(rs.annotations()).containsOnlyKeys("moniker.spinnaker.io/application");
    assertThat(rs.replicas()).isEqualTo(2);
    assertThat(rs.templateLabels()).containsEntry("app", "web");
  }

  @Test
  void anObjectOfTheWrongTypeNamesTheServerAndTheObject() {
    answer(
        LiveReaderTest.RS_X,
        "{\"kind\": \"ReplicaSetList\", \"items\": [{\"metadata\": {\"name\": \"web-v001\","
            + " \"namespace\": \"x\"}, \"spec\": {\"replicas\": \"three\"}}]}");

    assertThatThrownBy(() -> LiveReader.snapshot(conn, Scope.of("x"), LiveReaderTest.CLOCK))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith(
            "the API server at "
                + url()
                + " sent replicasets x/web-v001 that spinclean cannot read: spec.replicas: Cannot"
                + " deserialize value of type `java.lang.Integer` from String \"three\"");
  }

  @Test
  void aPageThatIsNotJsonNamesTheServerAndTheList() {
    answer(LiveReaderTest.RS_X, "{\"kind\": \"ReplicaSetList\", \"items\": [{\"metadata\": ");

    assertThatThrownBy(() -> LiveReader.snapshot(conn, Scope.of("x"), LiveReaderTest.CLOCK))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith(
            "the API server at "
                + url()
                + " sent a list of replicasets that spinclean cannot read"
                + " (line 1, column ");
  }
}
