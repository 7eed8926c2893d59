package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI part of admission: type, required, enum, bounds, lengths, item counts and patterns,
 * with the messages kube-openapi gives. Patterns use RE2 (re2j) because the API server uses Go's
 * RE2 engine, not java.util.regex.
 */
final class SchemaValidator {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private SchemaValidator() {}

  static List<FieldError> validate(JsonNode root, Schema schema) {
    List<FieldError> errors = new ArrayList<>();
    validate(root, schema, "", errors);
    return errors;
  }

  private static void validate(JsonNode node, Schema schema, String path, List<FieldError> errors) {
    if (schema == null || node == null) {
      return;
    }
    if (node.isNull()) {
      if (!schema.nullable() && schema.type() != null) {
        errors.add(typeError(path, schema.type(), "null"));
      }
      return;
    }
    String actual = typeOf(node);
    if (!typeMatches(schema, node, actual)) {
      errors.add(typeError(path, schema.intOrString() ? "integer,string" : schema.type(), actual));
      return;
    }
    if (!schema.enumValues().isEmpty() && !schema.enumValues().contains(node)) {
      List<String> allowed = schema.enumValues().stream().map(v -> v.isTextual() ? FieldError.quote(v.asText()) : v.toString()).toList();
      errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, path, node, "supported values: " + String.join(", ", allowed)));
    }
    if (node.isTextual()) {
      validateString(node, schema, path, errors);
    } else if (node.isNumber()) {
      validateNumber(node, schema, path, errors);
    } else if (node.isArray()) {
      validateArray(node, schema, path, errors);
    } else if (node.isObject()) {
      validateObject(node, schema, path, errors);
    }
  }

  private static void validateString(JsonNode node, Schema schema, String path, List<FieldError> errors) {
    String value = node.asText();
    int length = value.codePointCount(0, value.length());
    if (schema.minLength() != null && length < schema.minLength()) {
      errors.add(FieldError.invalid(path, value, path + " in body should be at least " + schema.minLength() + " chars long"));
    }
    if (schema.maxLength() != null && length > schema.maxLength()) {
      errors.add(new FieldError(FieldError.Type.TOO_LONG, path, value, "may not be longer than " + schema.maxLength()));
    }
    if (schema.pattern() != null && !PATTERNS.computeIfAbsent(schema.pattern(), Pattern::compile).matcher(value).find()) {
      errors.add(FieldError.invalid(path, value, path + " in body should match '" + schema.pattern() + "'"));
    }
  }

  private static void validateNumber(JsonNode node, Schema schema, String path, List<FieldError> errors) {
    double value = node.asDouble();
    if (schema.minimum() != null) {
      double min = schema.minimum();
      if (schema.exclusiveMinimum() ? value <= min : value < min) {
        String relation = schema.exclusiveMinimum() ? "greater than " : "greater than or equal to ";
        errors.add(FieldError.invalid(path, node, path + " in body should be " + relation + FieldError.render(min)));
      }
    }
    if (schema.maximum() != null) {
      double max = schema.maximum();
      if (schema.exclusiveMaximum() ? value >= max : value > max) {
        String relation = schema.exclusiveMaximum() ? "less than " : "less than or equal to ";
        errors.add(FieldError.invalid(path, node, path + " in body should be " + relation + FieldError.render(max)));
      }
    }
  }

  private static void validateArray(JsonNode node, Schema schema, String path, List<FieldError> errors) {
    if (schema.minItems() != null && node.size() < schema.minItems()) {
      errors.add(FieldError.invalid(path, (long) node.size(), path + " in body should have at least " + schema.minItems() + " items"));
    }
    if (schema.maxItems() != null && node.size() > schema.maxItems()) {
      errors.add(new FieldError(FieldError.Type.TOO_MANY, path, (long) node.size(), "must have at most " + schema.maxItems() + " items"));
    }
    for (int i = 0; i < node.size(); i++) {
      validate(node.get(i), schema.items(), FieldError.index(path, i), errors);
    }
  }

  private static void validateObject(JsonNode node, Schema schema, String path, List<FieldError> errors) {
    for (String name : schema.required()) {
      if (!node.has(name)) {
        errors.add(FieldError.required(FieldError.child(path, name)));
      }
    }
    if (schema.minProperties() != null && node.size() < schema.minProperties()) {
      errors.add(FieldError.invalid(path, (long) node.size(), path + " in body should have at least " + schema.minProperties() + " properties"));
    }
    if (schema.maxProperties() != null && node.size() > schema.maxProperties()) {
      errors.add(new FieldError(FieldError.Type.TOO_MANY, path, (long) node.size(), "must have at most " + schema.maxProperties() + " items"));
    }
    node.properties().forEach(e -> {
      String name = e.getKey();
      boolean declared = schema.properties().containsKey(name);
      String childPath = declared ? FieldError.child(path, name) : FieldError.key(path, name);
      validate(e.getValue(), declared ? schema.properties().get(name) : schema.additionalProperties(), childPath, errors);
    });
  }

  private static boolean typeMatches(Schema schema, JsonNode node, String actual) {
    if (schema.intOrString()) {
      return node.isTextual() || isInteger(node);
    }
    if (schema.type() == null) {
      return true;
    }
    return switch (schema.type()) {
      case "integer" -> isInteger(node);
      case "number" -> node.isNumber();
      default -> schema.type().equals(actual);
    };
  }

  /** JSON has no integers: 3.0 is a valid integer, as for the API server. */
  static boolean isInteger(JsonNode node) {
    return node.isIntegralNumber() || node.isNumber() && node.asDouble() == Math.rint(node.asDouble()) && !Double.isInfinite(node.asDouble());
  }

  private static FieldError typeError(String path, String expected, String actual) {
    return new FieldError(FieldError.Type.TYPE_INVALID, path, actual, path + " in body must be of type " + expected + ": " + FieldError.quote(actual));
  }

  static String typeOf(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.isArray() ? "array" : "object";
  }
}
