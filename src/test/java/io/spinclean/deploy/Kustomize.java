package io.spinclean.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Test-only: renders the kustomizations in deploy/ as {@code kubectl kustomize} does, for the only
 * features they use: {@code resources} (files and directories), {@code components} (directories
 * whose kustomization is a {@code Component} with resources), {@code patches} (inline only: a
 * {@code $patch: delete} of one object, or JSON 6902 {@code test}, {@code replace} and {@code add}
 * on a {@code target}; see {@link Patches}) and {@code namespace}. Any other field or patch fails,
 * so a new feature in deploy/ cannot be silently ignored; RbacTest#kubectlRendersTheSameObjects
 * checks this rendering against kubectl's.
 */
final class Kustomize {
  static final Path DEPLOY = Path.of("deploy");
  static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final Set<String> FIELDS =
      Set.of("apiVersion", "kind", "resources", "components", "patches", "namespace");

  /** Kinds without a namespace: kustomize's namespace and {@code apply -n} leave them alone. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

  private Kustomize() {}

  /** The objects of the kustomization in {@code dir}, in kustomize's resource order. */
  static List<ObjectNode> render(Path dir) {
    JsonNode k = read(dir.resolve("kustomization.yaml"));
    k.propertyNames()
        .forEach(
            name -> {
              if (!FIELDS.contains(name)) {
                throw new IllegalStateException(
                    dir + "/kustomization.yaml: unsupported field " + name);
              }
            });
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : k.path("resources")) {
      Path path = dir.resolve(resource.stringValue()).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(render(path));
      } else {
        objects.add((ObjectNode) read(path));
      }
    }
    for (JsonNode component : k.path("components")) {
      Path path = dir.resolve(component.stringValue()).normalize();
      if (!"Component"
          .equals(read(path.resolve("kustomization.yaml")).path("kind").stringValue())) {
        throw new IllegalStateException(path + "/kustomization.yaml: not a Component");
      }
      objects.addAll(render(path));
    }
    for (JsonNode patch : k.path("patches")) {
      Patches.apply(dir + "/kustomization.yaml", patch, objects);
    }
    String namespace = k.path("namespace").stringValue(null);
    if (namespace != null) {
      objects.forEach(o -> setNamespace(o, namespace, true));
    }
    return objects;
  }

  /** What {@code kubectl apply -k DIR -n NAMESPACE} creates: namespace-less objects get it. */
  static List<ObjectNode> install(Path dir, String namespace) {
    List<ObjectNode> objects = render(dir);
    objects.forEach(o -> setNamespace(o, namespace, false));
    return objects;
  }

  static boolean clusterScoped(JsonNode object) {
    return CLUSTER_SCOPED.contains(object.path("kind").stringValue());
  }

  /**
   * Sets the namespace of a namespace-less object; kustomize's {@code namespace:} also overrides
   * one that is set, and fills in the ServiceAccount subjects of bindings that have none.
   */
  private static void setNamespace(ObjectNode object, String namespace, boolean kustomize) {
    if (!clusterScoped(object)) {
      ObjectNode meta = (ObjectNode) object.get("metadata");
      if (kustomize || !meta.has("namespace")) {
        meta.put("namespace", namespace);
      }
    }
    if (kustomize) {
      for (JsonNode subject : object.path("subjects")) {
        if ("ServiceAccount".equals(subject.path("kind").stringValue())
            && !subject.has("namespace")) {
          ((ObjectNode) subject).put("namespace", namespace);
        }
      }
    }
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
