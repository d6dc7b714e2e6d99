package io.spinclean.kube.read;

import static io.spinclean.kube.apply.ApplyFixture.NS;
import static io.spinclean.kube.apply.ApplyFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.kube.apply.ApplyFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Pods#ownedBy}: the label-selected, paged list that {@code --drain} polls. The mock ignores
 * {@code limit}/{@code continue} (docs/testing.md), so the pages are injected.
 */
public class PodsTest {
  private static final String OWNER = "uid-of-web-v003";
  private static final String SELECTOR = "app=web,version=v003";
  private static final String QUERY = "labelSelector=app%3Dweb%2Cversion%3Dv003&limit=500";
  private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
  // Kubernetes continue tokens are unpadded URL-safe base64.
  private static final String TOKEN = LiveReaderTest.TOKEN_1;
  private static final String PAGE_1 = PODS + "?" + QUERY;
  private static final String PAGE_2 = PODS + "?continue=" + TOKEN + "&" + QUERY;

  private ApplyFixture fx;

  @BeforeEach
  void start() {
    fx = new ApplyFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void followsContinueTokensAndKeepsOnlyTheOwnersPods() {
    fx.server
        .expect()
        .get()
        .withPath(PAGE_1)
        .andReturn(200, page(TOKEN, pod("web-v003-a", OWNER), pod("lookalike", "uid-other")))
        .once();
    fx.server
        .expect()
        .get()
        .withPath(PAGE_2)
        .andReturn(200, page(null, pod("web-v003-b", OWNER)))
        .once();

    var pods = Pods.ownedBy(fx.client, NS, OWNER, SELECTOR);

    assertThat(pods)
        .extracting(io.spinclean.core.Pod::name)
        .containsExactly("web-v003-a", "web-v003-b");
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .containsExactly("GET " + PAGE_1, "GET " + PAGE_2);
  }

  @Test
  void anExpiredContinueTokenStartsTheListOverOnce() {
    fx.admin.pods().inNamespace(NS).resource(pod("web-v003-c", OWNER)).create();
    fx.forgetRequests();
    fx.server
        .expect()
        .get()
        .withPath(PAGE_1)
        .andReturn(200, page(TOKEN, pod("web-v003-a", OWNER)))
        .once();
    fx.server
        .expect()
        .get()
        .withPath(PAGE_2)
        .andReturn(410, status(410, "Expired", "too old"))
        .once();

    var pods = Pods.ownedBy(fx.client, NS, OWNER, SELECTOR);

    // The second pass (answered by the CRUD store) replaces the first: web-v003-a is not kept.
    assertThat(pods).extracting(io.spinclean.core.Pod::name).containsExactly("web-v003-c");
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .containsExactly("GET " + PAGE_1, "GET " + PAGE_2, "GET " + PAGE_1);
  }

  @Test
  void aSecondExpiredContinueTokenIsAnError() {
    fx.server
        .expect()
        .get()
        .withPath(PAGE_1)
        .andReturn(200, page(TOKEN, pod("web-v003-a", OWNER)))
        .times(2);
    fx.server
        .expect()
        .get()
        .withPath(PAGE_2)
        .andReturn(410, status(410, "Expired", "too old"))
        .times(2);

    assertThatThrownBy(() -> Pods.ownedBy(fx.client, NS, OWNER, SELECTOR))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(410));
    assertThat(fx.calls()).hasSize(4);
  }

  @Test
  void withoutASelectorTheNamespaceIsListedPageByPage() {
    fx.admin.pods().inNamespace(NS).resource(pod("web-v003-a", OWNER)).create();
    fx.admin.pods().inNamespace(NS).resource(pod("other-v001-a", "uid-other")).create();
    fx.forgetRequests();

    var pods = Pods.ownedBy(fx.client, NS, OWNER, "");

    assertThat(pods).extracting(io.spinclean.core.Pod::name).containsExactly("web-v003-a");
    assertThat(fx.calls())
        .extracting(ApplyFixture.Call::toString)
        .containsExactly("GET " + PODS + "?limit=500");
  }

  @Test
  void theSelectorIsTheReplicaSetsMatchLabelsWithoutTheKeysBeingRemoved() {
    var selector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("version", "v003", "app", "web", "load-balancer", "web"))
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("web")
            .endMatchExpression()
            .build();

    assertThat(Pods.selector(selector, List.of("load-balancer"))).isEqualTo(SELECTOR);
    assertThat(Pods.selector(selector, List.of()))
        .isEqualTo("app=web,load-balancer=web,version=v003");
    assertThat(Pods.selector(null, List.of("load-balancer"))).isEmpty();
    assertThat(Pods.selector(new LabelSelectorBuilder().build(), List.of())).isEmpty();
  }

  /**
   * Issue 10: a pod whose ownerReference names the version without {@code controller: true} is not
   * its pod, whatever its labels: anyone who may create pods can write such a reference.
   */
  @Test
  void onlyPodsTheVersionControlsAreItsOwn() {
    fx.admin.pods().inNamespace(NS).resource(pod("web-v003-a", OWNER)).create();
    Pod forged = pod("forged", OWNER);
    forged.getMetadata().getOwnerReferences().get(0).setController(false);
    fx.admin.pods().inNamespace(NS).resource(forged).create();
    Pod unset = pod("unset", OWNER);
    unset.getMetadata().getOwnerReferences().get(0).setController(null);
    fx.admin.pods().inNamespace(NS).resource(unset).create();

    var pods = Pods.ownedBy(fx.client, NS, OWNER, SELECTOR);

    assertThat(pods).extracting(io.spinclean.core.Pod::name).containsExactly("web-v003-a");
  }

  private static Pod pod(String name, String ownerUid) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(Map.of("app", "web", "version", "v003", "load-balancer", "web"))
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("web-v003")
        .withUid(ownerUid)
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .build();
  }

  private static Object page(String continueToken, Pod... pods) {
    return new PodListBuilder()
        .withMetadata(new ListMetaBuilder().withContinue(continueToken).build())
        .addToItems(pods)
        .build();
  }
}
