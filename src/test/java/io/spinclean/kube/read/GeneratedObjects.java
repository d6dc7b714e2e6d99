package io.spinclean.kube.read;

import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random ReplicaSets, Pods and Services as JSON, for {@link ObjectTypesTest}: random labels and
 * annotations (last-applied included), ownerReferences with and without controller, selectors with
 * matchExpressions (malformed ones too), replicas missing, 0, n, negative or of the wrong type,
 * pods with or without a Ready condition, deletionTimestamp, missing namespace, unknown fields,
 * nulls, and values of the wrong type in the fields the planner reads.
 */
final class GeneratedObjects {
  private static final JsonNodeFactory F = JsonMapper.builder().build().getNodeFactory();

  private GeneratedObjects() {}

  static String json(ObjectTypesTest.Kind kind, Random r) {
    ObjectNode o = F.objectNode();
    if (r.nextInt(4) > 0) {
      o.put("kind", kind == ObjectTypesTest.Kind.REPLICA_SET ? "ReplicaSet" : "Pod");
    }
    extra(o, r);
    maybe(o, "metadata", metadata(r), r, 12);
    switch (kind) {
      case REPLICA_SET -> maybe(o, "spec", replicaSetSpec(r), r, 8);
      case POD -> {
        maybe(o, "spec", podSpec(), r, 6);
        maybe(o, "status", podStatus(r), r, 8);
      }
      case SERVICE -> maybe(o, "spec", serviceSpec(r), r, 8);
    }
    return o.toString();
  }

  private static JsonNode metadata(Random r) {
    ObjectNode m = F.objectNode();
    maybe(m, "name", pick(r, s("web-v001"), s("web-v002"), s(""), F.numberNode(5)), r, 12);
    maybe(m, "namespace", pick(r, s("example"), s(""), s("other")), r, 3);
    maybe(m, "uid", pick(r, s("u-1"), s("u-2"), F.numberNode(7)), r, 4);
    maybe(m, "resourceVersion", pick(r, s("12"), F.numberNode(13)), r, 3);
    maybe(
        m,
        "creationTimestamp",
        pick(
            r,
            s("2020-07-24T17:59:52Z"),
            s("2020-07-24T17:59:52+02:00"),
            s("yesterday"),
            s(""),
            F.numberNode(1)),
        r,
        3);
    if (r.nextInt(5) == 0) {
      m.set("deletionTimestamp", pick(r, s("2020-07-24T18:00:00Z"), s("")));
    }
    maybe(m, "labels", map(r), r, 3);
    maybe(m, "annotations", annotations(r), r, 3);
    maybe(m, "ownerReferences", owners(r), r, 3);
    m.put("generation", 3);
    if (r.nextBoolean()) {
      m.set("managedFields", F.arrayNode().add(F.objectNode().put("manager", "kubectl")));
    }
    extra(m, r);
    return wrongShape(m, r);
  }

  private static JsonNode annotations(Random r) {
    JsonNode labels = map(r);
    if (!(labels instanceof ObjectNode a)) {
      return labels;
    }
    if (r.nextBoolean()) {
      a.put("moniker.spinnaker.io/application", "web");
    }
    if (r.nextBoolean()) {
      a.set(
          "traffic.spinnaker.io/load-balancers",
          pick(r, s("[\"service web\"]"), F.numberNode(1), F.nullNode(), F.booleanNode(true)));
    }
    if (r.nextBoolean()) {
      a.put("kubectl.kubernetes.io/last-applied-configuration", "{\"kind\":\"ReplicaSet\"}");
    }
    if (r.nextInt(10) == 0) {
      a.set(pick(r, "spinclean.io/protect", "other/key"), F.objectNode().put("x", 1));
    }
    return a;
  }

  private static JsonNode owners(Random r) {
    ArrayNode list = F.arrayNode();
    for (int i = r.nextInt(4); i > 0; i--) {
      if (r.nextInt(8) == 0) {
        list.addNull();
        continue;
      }
      ObjectNode ref = F.objectNode().put("kind", "Deployment").put("name", "d");
      maybe(ref, "uid", pick(r, s("rs-uid"), s("other-uid"), s(""), F.nullNode()), r, 5);
      maybe(
          ref,
          "controller",
          pick(r, F.booleanNode(true), F.booleanNode(false), s("true"), F.nullNode(), s("yes")),
          r,
          5);
      list.add(ref);
    }
    return r.nextInt(15) == 0 ? s("not-a-list") : list;
  }

  private static JsonNode replicaSetSpec(Random r) {
    ObjectNode spec = F.objectNode();
    maybe(
        spec,
        "replicas",
        pick(
            r,
            F.numberNode(0),
            F.numberNode(3),
            F.numberNode(-1),
            s("3"),
            s("three"),
            F.numberNode(2.0),
            F.nullNode()),
        r,
        4);
    maybe(spec, "selector", labelSelector(r), r, 4);
    if (r.nextInt(4) > 0) {
      ObjectNode template = F.objectNode();
      maybe(template, "metadata", F.objectNode().set("labels", map(r)), r, 4);
      template.set("spec", podSpec());
      spec.set("template", r.nextInt(12) == 0 ? F.nullNode() : template);
    }
    spec.put("minReadySeconds", 5);
    return wrongShape(spec, r);
  }

  private static JsonNode labelSelector(Random r) {
    if (r.nextInt(10) == 0) {
      return F.nullNode();
    }
    ObjectNode sel = F.objectNode();
    maybe(sel, "matchLabels", map(r), r, 3);
    if (r.nextBoolean()) {
      ArrayNode exprs = F.arrayNode();
      for (int i = r.nextInt(3); i > 0; i--) {
        if (r.nextInt(8) == 0) {
          exprs.addNull();
          continue;
        }
        ObjectNode e = F.objectNode();
        maybe(e, "key", pick(r, s("track"), s(""), F.nullNode()), r, 6);
        maybe(e, "operator", pick(r, s("In"), s("NotIn"), s("Exists"), s("Bogus")), r, 6);
        if (r.nextBoolean()) {
          ArrayNode values = F.arrayNode().add("blue");
          if (r.nextInt(4) == 0) {
            values.addNull();
          }
          e.set("values", r.nextInt(10) == 0 ? s("blue") : values);
        }
        exprs.add(e);
      }
      sel.set("matchExpressions", exprs);
    }
    return sel;
  }

  private static JsonNode podSpec() {
    ObjectNode container = F.objectNode().put("name", "app").put("image", "nginx");
    container.set("ports", F.arrayNode().add(F.objectNode().put("containerPort", 80)));
    return F.objectNode().set("containers", F.arrayNode().add(container));
  }

  private static JsonNode podStatus(Random r) {
    ObjectNode status = F.objectNode().put("phase", "Running");
    ArrayNode conditions = F.arrayNode();
    for (int i = r.nextInt(4); i > 0; i--) {
      if (r.nextInt(8) == 0) {
        conditions.addNull();
        continue;
      }
      ObjectNode c = F.objectNode();
      maybe(c, "type", pick(r, s("Ready"), s("PodScheduled"), s("ready")), r, 6);
      maybe(c, "status", pick(r, s("True"), s("False"), s("true"), F.booleanNode(true)), r, 6);
      conditions.add(c);
    }
    maybe(status, "conditions", conditions, r, 4);
    return wrongShape(status, r);
  }

  private static JsonNode serviceSpec(Random r) {
    ObjectNode spec = F.objectNode().put("clusterIP", "10.0.0.1");
    spec.set("ports", F.arrayNode().add(F.objectNode().put("port", 80).put("targetPort", "http")));
    maybe(spec, "selector", map(r), r, 4);
    return spec;
  }

  /** Labels: string values mostly, sometimes null, a number, a boolean, or an object. */
  private static JsonNode map(Random r) {
    if (r.nextInt(20) == 0) {
      return pick(r, s("x"), F.arrayNode().add("a"), F.nullNode());
    }
    ObjectNode m = F.objectNode();
    for (int i = r.nextInt(4); i > 0; i--) {
      String key = pick(r, "app", "load-balancer", "version", "moniker.spinnaker.io/sequence");
      m.set(
          key,
          r.nextInt(10) > 0
              ? s(pick(r, "web", "blue", "green", ""))
              : pick(r, F.nullNode(), F.numberNode(1), F.booleanNode(true), F.objectNode()));
    }
    return m;
  }

  /** Sometimes a value of the wrong shape where an object is expected. */
  private static JsonNode wrongShape(JsonNode object, Random r) {
    return r.nextInt(40) == 0 ? pick(r, s("x"), F.numberNode(1), F.arrayNode()) : object;
  }

  private static void extra(ObjectNode o, Random r) {
    if (r.nextBoolean()) {
      o.set("unknownField", F.objectNode().set("nested", F.arrayNode().add(1).add("two")));
    }
  }

  /** Sets the field unless a 1-in-{@code odds} draw leaves it out (or, half as often, null). */
  private static void maybe(ObjectNode o, String field, JsonNode value, Random r, int odds) {
    int draw = r.nextInt(odds * 2);
    if (draw == 0) {
      o.set(field, F.nullNode());
    } else if (draw > 2) {
      o.set(field, value);
    }
  }

  private static JsonNode s(String text) {
    return F.stringNode(text);
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }
}
