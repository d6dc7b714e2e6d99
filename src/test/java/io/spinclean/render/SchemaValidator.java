package io.spinclean.render;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A small JSON Schema checker, enough for docs/plan.schema.json: {@code $ref} to {@code $defs},
 * {@code allOf}, {@code oneOf}, {@code type}, {@code const}, {@code enum}, {@code minimum}, {@code
 * required}, {@code properties}, {@code items} and {@code unevaluatedProperties: false}. Other
 * keywords are ignored. It exists so the schema is tested without a new dependency; it reports
 * every problem with the JSON path where it occurs.
 */
final class SchemaValidator {
  private final JsonNode root;

  SchemaValidator(JsonNode root) {
    this.root = root;
  }

  List<String> validate(JsonNode instance) {
    List<String> errors = new ArrayList<>();
    check(instance, root, "$", errors);
    return errors;
  }

  /** Checks a value; returns the property names this schema evaluated on it (for objects). */
  private Set<String> check(JsonNode value, JsonNode schema, String path, List<String> errors) {
    Set<String> evaluated = new HashSet<>();
    if (schema.has("$ref")) {
      evaluated.addAll(check(value, resolve(schema.get("$ref").asString()), path, errors));
    }
    if (schema.has("allOf")) {
      for (JsonNode sub : schema.get("allOf")) {
        evaluated.addAll(check(value, sub, path, errors));
      }
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      List<String> closest = null;
      for (JsonNode sub : schema.get("oneOf")) {
        List<String> subErrors = new ArrayList<>();
        Set<String> subEvaluated = check(value, sub, path, subErrors);
        if (subErrors.isEmpty()) {
          matches++;
          evaluated.addAll(subEvaluated);
        } else if (closest == null || subErrors.size() < closest.size()) {
          closest = subErrors;
        }
      }
      if (matches != 1) {
        errors.add(path + ": matches " + matches + " of the oneOf alternatives, not exactly 1");
      }
      if (matches == 0 && closest != null) {
        // Say why the nearest alternative failed: that is almost always the one intended.
        errors.addAll(closest);
      }
    }
    if (schema.has("type") && !hasType(value, schema.get("type"))) {
      errors.add(path + ": " + value.getNodeType() + " is not of type " + schema.get("type"));
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      errors.add(path + ": " + value + " is not " + schema.get("const"));
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("minimum")
        && value.isNumber()
        && value.asDouble() < schema.get("minimum").asDouble()) {
      errors.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
    if (value.isObject()) {
      checkObject(value, schema, path, errors, evaluated);
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), schema.get("items"), path + "[" + i + "]", errors);
      }
    }
    return evaluated;
  }

  private void checkObject(
      JsonNode value, JsonNode schema, String path, List<String> errors, Set<String> evaluated) {
    if (schema.has("required")) {
      for (JsonNode name : schema.get("required")) {
        if (!value.has(name.asString())) {
          errors.add(path + ": missing required field \"" + name.asString() + "\"");
        }
      }
    }
    if (schema.has("properties")) {
      for (var property : schema.get("properties").properties()) {
        evaluated.add(property.getKey());
        if (value.has(property.getKey())) {
          check(
              value.get(property.getKey()),
              property.getValue(),
              path + "." + property.getKey(),
              errors);
        }
      }
    }
    JsonNode unevaluated = schema.get("unevaluatedProperties");
    if (unevaluated != null && unevaluated.isBoolean() && !unevaluated.asBoolean()) {
      for (String name : value.propertyNames()) {
        if (!evaluated.contains(name)) {
          errors.add(path + ": field \"" + name + "\" is not in the schema");
        }
      }
    }
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local references are supported: " + ref);
    }
    JsonNode node = root.at(ref.substring(1));
    if (node.isMissingNode()) {
      throw new IllegalArgumentException("unresolved reference: " + ref);
    }
    return node;
  }

  private static boolean hasType(JsonNode value, JsonNode type) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (hasType(value, t)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asString()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isString();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> throw new IllegalArgumentException("unknown type in schema: " + type);
    };
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode element : array) {
      if (element.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
