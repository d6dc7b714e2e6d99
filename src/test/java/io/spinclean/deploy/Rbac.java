package io.spinclean.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test-only: Kubernetes RBAC for one ServiceAccount, as the API server's authorizer evaluates it,
 * for the rule shapes deploy/ may use (exact verbs, API groups and resources, and resourceNames; no
 * wildcards or nonResourceURLs: those fail, since least privilege does not need them). A rule with
 * resourceNames matches only a request for one of those names: never a list, watch or create, whose
 * URL names no object (Kubernetes RBAC docs, "Referring to resources").
 */
final class Rbac {
  /**
   * What the authorizer sees of a request; {@code namespace} is null for cluster scope, {@code
   * name} for a request that names no object.
   */
  record Access(String verb, String group, String resource, String namespace, String name) {
    /** The permission it needs, whatever the namespace. */
    Permission permission() {
      return new Permission(verb, group, resource);
    }

    /**
     * Parses a request as the API server's RequestInfoFactory does: {@code GET} without a name is
     * {@code list} ({@code watch} with {@code watch=true}), {@code DELETE} without a name is {@code
     * deletecollection}, and {@code /api/v1/namespaces/NAME} is in namespace NAME.
     */
    static Access of(String method, URI uri) {
      List<String> parts = new ArrayList<>(Arrays.asList(uri.getPath().split("/")));
      parts.removeIf(String::isEmpty);
      String group;
      if (parts.size() >= 2 && parts.get(0).equals("api")) {
        group = "";
        parts = parts.subList(2, parts.size());
      } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
        group = parts.get(1);
        parts = parts.subList(3, parts.size());
      } else {
        throw new IllegalArgumentException("not a resource request: " + method + " " + uri);
      }
      String namespace = null;
      if (parts.size() >= 2 && parts.get(0).equals("namespaces")) {
        namespace = parts.get(1);
        if (parts.size() > 2) {
          parts = parts.subList(2, parts.size());
        }
      }
      String resource = parts.get(0);
      boolean named = parts.size() >= 2;
      String name = named ? parts.get(1) : null;
      if (parts.size() > 2) {
        resource += "/" + parts.get(2); // a subresource
      }
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      String verb =
          switch (method) {
            case "GET", "HEAD" ->
                named ? "get" : ("&" + query + "&").contains("&watch=true&") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("unknown method " + method);
          };
      return new Access(verb, group, resource, namespace, name);
    }

    @Override
    public String toString() {
      return permission() + (namespace == null ? " (cluster-wide)" : " in " + namespace);
    }
  }

  /** A verb on a resource of an API group, e.g. {@code list apps/replicasets}. */
  record Permission(String verb, String group, String resource) implements Comparable<Permission> {
    @Override
    public int compareTo(Permission o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
    }
  }

  /**
   * Permissions granted in one namespace, or everywhere ({@code namespace} null), on the objects
   * named {@code names} only, or on all ({@code names} empty).
   */
  private record Grant(Permission permission, String namespace, Set<String> names) {}

  private final List<Grant> grants = new ArrayList<>();

  /**
   * The permissions of ServiceAccount {@code saNamespace/saName} given by the bindings among {@code
   * objects} (as installed: every namespaced object has its namespace).
   */
  Rbac(List<ObjectNode> objects, String saNamespace, String saName) {
    Map<String, JsonNode> roles =
        objects.stream()
            .filter(o -> Set.of("Role", "ClusterRole").contains(o.path("kind").stringValue()))
            .collect(Collectors.toMap(Rbac::key, o -> o));
    for (ObjectNode binding : objects) {
      String kind = binding.path("kind").stringValue();
      if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
        continue;
      }
      String bindingNs =
          kind.equals("RoleBinding")
              ? binding.path("metadata").path("namespace").stringValue()
              : null;
      boolean boundToSa = false;
      for (JsonNode s : binding.path("subjects")) {
        // A ServiceAccount subject without a namespace is in the RoleBinding's namespace.
        String ns = s.has("namespace") ? s.path("namespace").stringValue() : bindingNs;
        boundToSa |=
            "ServiceAccount".equals(s.path("kind").stringValue())
                && saName.equals(s.path("name").stringValue())
                && saNamespace.equals(ns);
      }
      if (!boundToSa) {
        continue;
      }
      JsonNode ref = binding.path("roleRef");
      String refKind = ref.path("kind").stringValue();
      // A RoleBinding to a Role finds it in its own namespace; a ClusterRole has none.
      JsonNode role =
          roles.get(
              refKind
                  + "/"
                  + (refKind.equals("Role") ? bindingNs : null)
                  + "/"
                  + ref.path("name").stringValue());
      Objects.requireNonNull(
          role,
          () ->
              "binding "
                  + key(binding)
                  + " refers to a missing "
                  + refKind
                  + " "
                  + ref.path("name").stringValue());
      addRules(role, bindingNs);
    }
  }

  private void addRules(JsonNode role, String namespace) {
    for (JsonNode rule : role.path("rules")) {
      Set<String> fields = new TreeSet<>(rule.propertyNames());
      Set<String> names = new TreeSet<>();
      rule.path("resourceNames").forEach(n -> names.add(n.stringValue()));
      fields.remove("resourceNames");
      if (!fields.equals(Set.of("apiGroups", "resources", "verbs"))) {
        throw new IllegalStateException(
            key(role)
                + ": a rule with "
                + fields
                + "; only apiGroups, resources and verbs are expected");
      }
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            List<String> values =
                List.of(group.stringValue(), resource.stringValue(), verb.stringValue());
            if (values.contains("*")) {
              throw new IllegalStateException(key(role) + ": wildcard in " + rule);
            }
            grants.add(
                new Grant(
                    new Permission(verb.stringValue(), group.stringValue(), resource.stringValue()),
                    namespace,
                    Set.copyOf(names)));
          }
        }
      }
    }
  }

  /** Whether the authorizer lets the ServiceAccount make this request. */
  boolean allows(Access access) {
    return grants.stream()
        .anyMatch(
            g ->
                g.permission().equals(access.permission())
                    && (g.namespace() == null || g.namespace().equals(access.namespace()))
                    && (g.names().isEmpty() || g.names().contains(access.name())));
  }

  /** The names a permission is restricted to, by rule (empty: a rule without resourceNames). */
  List<Set<String>> names(Permission p) {
    return grants.stream().filter(g -> g.permission().equals(p)).map(Grant::names).toList();
  }

  /** Every permission granted, in any namespace. */
  Set<Permission> permissions() {
    return grants.stream().map(Grant::permission).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String key(JsonNode o) {
    String kind = o.path("kind").stringValue();
    JsonNode meta = o.path("metadata");
    String ns = meta.has("namespace") ? meta.path("namespace").stringValue() : null;
    return kind + "/" + ns + "/" + meta.path("name").stringValue();
  }
}
