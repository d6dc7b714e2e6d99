package io.spinclean.kube.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming mapping ({@link ObjectFields}, {@link ObjectTypes}) gives exactly the record, or
 * the message, that fabric8's bean mapping followed by {@link SnapshotMapper} gives for the same
 * JSON: on every fixture and example, and on generated objects ({@link GeneratedObjects}).
 */
class ObjectTypesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final KubernetesSerialization FABRIC8 =
      new KubernetesSerialization(JsonMapper.builder().build(), false);

  /** What one mapping gave: a record, or a message of the wrong type, or a message of mapping. */
  record Outcome(Object record, String invalid, String unusable) {}

  @Test
  void everyFixtureMapsAsFabric8MapsIt() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String root :
        List.of(
            "src/test/resources/kube/clouddriver", "examples", "src/test/resources/scenarios")) {
      if (Files.isDirectory(Path.of(root))) {
        try (Stream<Path> walk = Files.walk(Path.of(root))) {
          walk.filter(f -> f.toString().matches(".*\\.(json|ya?ml)")).forEach(files::add);
        }
      }
    }
    int objects = 0;
    for (Path file : files) {
      List<DumpParser.Item> items = new ArrayList<>();
      try {
        DumpParser.parseWhole(file.toString(), Files.newInputStream(file), items::add);
      } catch (InputException | IOException e) {
        continue; // not a dump (a manifest of other kinds, a golden plan)
      }
      for (DumpParser.Item item : items) {
        Kind kind = Kind.of(item.record());
        assertThat(streamed(kind, item.tree().toString()))
            .as(file + ": " + item.where())
            .isEqualTo(fabric8(kind, item.tree().toString()));
        objects++;
      }
    }
    assertThat(objects).as("objects compared").isGreaterThan(50);
  }

  @Property(tries = 1500)
  void generatedObjectsMapAsFabric8MapsThem(@ForAll("objects") Generated object) {
    Outcome expected = fabric8(object.kind(), object.json());
    Outcome actual = streamed(object.kind(), object.json());
    Statistics.collect(
        object.kind(),
        expected.record() != null
            ? "record"
            : expected.invalid() != null ? "wrong type" : "unusable");
    if (expected.invalid() != null && actual.invalid() != null && isShape(actual.invalid())) {
      // a value of the wrong shape where fabric8 builds a bean or a list: fabric8's sentence
      // names its own classes; both must refuse the object
      return;
    }
    assertThat(actual).as(object.json()).isEqualTo(expected);
  }

  private static boolean isShape(String message) {
    return message.contains(": expected an object, not ") || message.contains(": expected a list");
  }

  @Provide
  Arbitrary<Generated> objects() {
    Arbitrary<Kind> kind = Arbitraries.of(Kind.class);
    return Combinators.combine(kind, Arbitraries.longs())
        .as((k, seed) -> new Generated(k, GeneratedObjects.json(k, new java.util.Random(seed))));
  }

  record Generated(Kind kind, String json) {
    @Override
    public String toString() {
      return kind + " " + json;
    }
  }

  enum Kind {
    REPLICA_SET(io.fabric8.kubernetes.api.model.apps.ReplicaSet.class),
    POD(io.fabric8.kubernetes.api.model.Pod.class),
    SERVICE(io.fabric8.kubernetes.api.model.Service.class);

    final Class<? extends HasMetadata> type;

    Kind(Class<? extends HasMetadata> type) {
      this.type = type;
    }

    static Kind of(Object record) {
      return record instanceof io.spinclean.core.ReplicaSet
          ? REPLICA_SET
          : record instanceof io.spinclean.core.Pod ? POD : SERVICE;
    }
  }

  /** As the dump reader did before issue 11: fabric8's beans, then SnapshotMapper. */
  static Outcome fabric8(Kind kind, String json) {
    HasMetadata object;
    try {
      object = FABRIC8.convertValue(JSON.readTree(json), kind.type);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, describe(e), null);
    }
    try {
      return new Outcome(
          switch (kind) {
            case REPLICA_SET ->
                SnapshotMapper.replicaSet((io.fabric8.kubernetes.api.model.apps.ReplicaSet) object);
            case POD -> SnapshotMapper.pod((io.fabric8.kubernetes.api.model.Pod) object);
            case SERVICE ->
                SnapshotMapper.service((io.fabric8.kubernetes.api.model.Service) object);
          },
          null,
          null);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, null, e.getMessage());
    }
  }

  static Outcome streamed(Kind kind, String json) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      ObjectFields f = ObjectFields.read(p, null);
      return new Outcome(
          switch (kind) {
            case REPLICA_SET -> ObjectTypes.replicaSet(f);
            case POD -> ObjectTypes.pod(f);
            case SERVICE -> ObjectTypes.service(f);
          },
          null,
          null);
    } catch (ObjectTypes.Invalid e) {
      return new Outcome(null, e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, null, e.getMessage());
    }
  }

  /** "spec.replicas: Cannot deserialize ...", as DumpParser described fabric8's failures. */
  private static String describe(IllegalArgumentException e) {
    if (!(e.getCause() instanceof DatabindException d)) {
      return e.getMessage();
    }
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : d.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return (path.length() == 0 ? "" : path + ": ") + d.getOriginalMessage();
  }

  static JsonNode tree(String json) {
    return JSON.readTree(json);
  }
}
