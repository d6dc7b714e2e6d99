package io.spinclean.kube;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import io.spinclean.core.ApiException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * One kubeconfig file read into fabric8's model, as fabric8's KubeConfigUtils.parseConfig reads it
 * but without fabric8's static Serialization, whose registry of API kinds loads ~630 model classes
 * that a kubeconfig never needs (issue 11: ~0.07 s per start).
 */
final class KubeconfigFile {
  private KubeconfigFile() {}

  static io.fabric8.kubernetes.api.model.Config parse(File file) throws ApiException {
    try {
      String text = Files.readString(file.toPath(), StandardCharsets.UTF_8);
      if (text.isBlank()) {
        return new io.fabric8.kubernetes.api.model.Config(); // kubectl: an empty file is empty
      }
      io.fabric8.kubernetes.api.model.Config config =
          Lazy.SERIALIZATION.unmarshal(text, io.fabric8.kubernetes.api.model.Config.class);
      // as KubeConfigUtils.parseConfig does: merge() resolves relative paths against the file
      nonNull(config.getContexts())
          .forEach(c -> c.getAdditionalProperties().put(CONTEXT_FILE, file));
      nonNull(config.getClusters())
          .forEach(c -> c.getAdditionalProperties().put(CLUSTER_FILE, file));
      nonNull(config.getUsers()).forEach(u -> u.getAdditionalProperties().put(USER_FILE, file));
      return config;
    } catch (IOException e) {
      throw new ApiException("kubeconfig " + file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) { // fabric8 lets the YAML parser's exceptions through
      throw new ApiException(
          "kubeconfig " + file + ": not a valid kubeconfig (" + KubeConnection.rootMessage(e) + ")",
          e);
    }
  }

  /**
   * The keys under which KubeConfigUtils.parseConfig records each entry's file and its merge()
   * looks for it (fabric8 8.0.0); KubeconfigTest's relative paths break if they change.
   */
  private static final String CONTEXT_FILE = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";

  private static final String CLUSTER_FILE = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
  private static final String USER_FILE = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

  /** fabric8's default serialization, except that it does not search for every API kind. */
  private static final class Lazy {
    static final KubernetesSerialization SERIALIZATION =
        new KubernetesSerialization(
            JsonMapper.builderWithJackson2Defaults()
                .addModule(new Jackson2JdkTypesModule())
                .build(),
            false);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
