package io.spinclean.kube.read;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The leaf values of {@link ObjectFields}, read with a plain Jackson mapper so that coercions
 * ({@code "3"} and {@code 3} alike, {@code "true"} for true) and the words of a value of the wrong
 * type ({@code Cannot deserialize value of type `java.lang.Integer` from String "three"}) are
 * Jackson's own, as when fabric8 read the whole object. Each read leaves the parser at the value's
 * last token, also when the value is of the wrong type.
 */
public final class Leaves {
  /** A value of the wrong type; the message goes after its path: ": Cannot deserialize ...". */
  static final class Wrong extends Exception {
    private static final long serialVersionUID = 1L;

    Wrong(String pathAndMessage) {
      super(pathAndMessage, null, false, false);
    }
  }

  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  /**
   * Integers as fabric8 reads them (its GoCompatibilityModule): from the value's text, so that
   * {@code 3.0} is not an integer. Written here, since fabric8's module comes with its model.
   */
  private static final class GoInteger extends StdDeserializer<Integer> {
    GoInteger() {
      super(Integer.class);
    }

    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
      String text = p.getString();
      return text == null ? null : _parseInteger(p, ctxt, text);
    }
  }

  public static final JsonMapper JSON =
      JsonMapper.builder()
          .addModule(new SimpleModule().addDeserializer(Integer.class, new GoInteger()))
          // a leaf is read in the middle of its object: what follows it is not trailing
          .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Leaves() {}

  /** A non-empty JSON string, else null (how a dump's kind and apiVersion are read). */
  static String text(JsonParser p) {
    String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getString() : null;
    p.skipChildren();
    return text == null || text.isEmpty() ? null : text;
  }

  static String string(JsonParser p) throws Wrong {
    return read(p, String.class);
  }

  static Boolean bool(JsonParser p) throws Wrong {
    return read(p, Boolean.class);
  }

  static Integer goInteger(JsonParser p) throws Wrong {
    return read(p, Integer.class);
  }

  /** The value as a small tree (a selector); null for JSON null. */
  static JsonNode tree(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    return JSON.readTree(p);
  }

  /**
   * Puts a map of strings into {@code into}, dropping null values, and with {@code spinnakerOnly}
   * the keys the planner does not read (their values are skipped, not built).
   */
  static void map(JsonParser p, boolean spinnakerOnly, Map<String, String> into) throws Wrong {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      Map<String, String> coerced = read(p, MAP); // Jackson's words, or its coercion of ""
      if (coerced != null) {
        coerced.forEach((k, v) -> put(into, k, v, spinnakerOnly));
      }
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      if (!value.isStructStart() && spinnakerOnly && !ObjectTypes.isSpinnakerKey(key)) {
        continue; // e.g. last-applied-configuration: skipped, never decoded
      }
      try {
        put(into, key, string(p), spinnakerOnly);
      } catch (Wrong e) {
        skipRest(p);
        throw new Wrong("." + key + e.getMessage());
      }
    }
  }

  private static void put(Map<String, String> into, String k, String v, boolean spinnakerOnly) {
    if (k != null && v != null && (!spinnakerOnly || ObjectTypes.isSpinnakerKey(k))) {
      into.put(k, v);
    }
  }

  /** After a wrong value inside an object: to the object's end, so the caller goes on. */
  private static void skipRest(JsonParser p) {
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      p.nextToken();
      p.skipChildren();
    }
  }

  /** "a String", "a number", "a list", ... for a value that has the wrong shape. */
  static String describe(JsonParser p) {
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> String.valueOf(t);
    };
  }

  private static <T> T read(JsonParser p, Class<T> type) throws Wrong {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    try {
      return p.currentToken().isStructStart()
          ? JSON.treeToValue(JSON.readTree(p), type)
          : JSON.readValue(p, type);
    } catch (DatabindException e) {
      throw wrong(e);
    }
  }

  private static <T> T read(JsonParser p, TypeReference<T> type) throws Wrong {
    try {
      return p.currentToken().isStructStart()
          ? JSON.treeToValue(JSON.readTree(p), type)
          : JSON.readValue(p, type);
    } catch (DatabindException e) {
      throw wrong(e);
    }
  }

  /** Jackson's message, after the path inside the value it names (e.g. a map's key). */
  private static Wrong wrong(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append('.').append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return new Wrong(path + ": " + e.getOriginalMessage());
  }
}
