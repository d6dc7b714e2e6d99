package io.spinclean.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.spinclean.kube.embedded.EmbeddedApiServer;

/**
 * Test-only: a connection to the embedded server, tuned as {@link KubeConnection} tunes its own,
 * whose every request first goes through {@code interceptor} (to see it, or to send it elsewhere).
 */
public final class Intercepted {
  private Intercepted() {}

  public static KubeConnection connect(EmbeddedApiServer server, String namespace, Interceptor i) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url())
            .withNamespace(namespace)
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(KubeConnection.RETRIES)
            .withRequestRetryBackoffInterval(250)
            .build();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("test", i))
            .build();
    return KubeConnection.of(client, namespace);
  }
}
