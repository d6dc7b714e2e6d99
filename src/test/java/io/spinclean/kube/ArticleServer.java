package io.spinclean.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.spinclean.kube.embedded.EmbeddedApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded API server holding the article's three failed clusters (examples/article.json) in
 * namespace {@code example}, fresh for each test: {@code @RegisterExtension final ArticleServer
 * article = new ArticleServer();}.
 */
public final class ArticleServer implements BeforeEachCallback, AfterEachCallback {
  public static final String FILE = "examples/article.json";
  public static final String NAMESPACE = "example";

  private EmbeddedApiServer server;
  private KubeConnection admin;
  private Path kubeconfig;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server = EmbeddedApiServer.start();
    try (InputStream in = Files.newInputStream(Path.of(FILE))) {
      server.load(in, FILE);
    }
    admin = server.connect(NAMESPACE);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    admin.close();
    server.close();
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
      kubeconfig = null;
    }
  }

  public EmbeddedApiServer server() {
    return server;
  }

  /** The fabric8 mock behind the server: {@code expect()} injects faults. */
  public KubernetesMockServer mock() {
    return server.mockServer();
  }

  /** A connection for the test itself: seeding, changing and inspecting the cluster. */
  public KubeConnection admin() {
    return admin;
  }

  /** A kubeconfig file for this server (context namespace {@code example}), as a user has. */
  public String kubeconfig() {
    if (kubeconfig == null) {
      try {
        kubeconfig =
            server.writeKubeconfig(Files.createTempFile("spinclean-", ".kubeconfig"), NAMESPACE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeconfig.toString();
  }

  public boolean exists(String replicaSet) {
    return admin.client().apps().replicaSets().inNamespace(NAMESPACE).withName(replicaSet).get()
        != null;
  }

  /** The names of the ReplicaSets in namespace {@code example}, sorted. */
  public Set<String> replicaSets() {
    return admin.client().apps().replicaSets().inNamespace(NAMESPACE).list().getItems().stream()
        .map(rs -> rs.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
