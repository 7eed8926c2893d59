package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * One field error, rendered the way the API server renders it in a 422 response
 * ({@code spec.workers: Invalid value: 0: spec.workers in body should be greater than or equal to 1}).
 */
public record FieldError(Type type, String field, Object value, String detail) {

  /** The error types of k8s.io/apimachinery field errors that admission produces. */
  enum Type {
    REQUIRED("Required value", true, false),
    NOT_SUPPORTED("Unsupported value", true, true),
    TYPE_INVALID("Invalid value", true, true),
    TOO_LONG("Too long", true, false),
    TOO_MANY("Too many", true, true),
    INVALID("Invalid value", false, true),
    DUPLICATE("Duplicate value", false, true),
    FORBIDDEN("Forbidden", false, false);

    final String label;
    /** Errors the API server treats as blocking: it then skips the CEL rules. */
    final boolean blocksCel;
    final boolean showsValue;

    Type(String label, boolean blocksCel, boolean showsValue) {
      this.label = label;
      this.blocksCel = blocksCel;
      this.showsValue = showsValue;
    }
  }

  static FieldError required(String field) {
    return new FieldError(Type.REQUIRED, field, null, "");
  }

  static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }

  @Override
  public String toString() {
    return (field == null || field.isEmpty() ? "<nil>" : field) + ": " + body();
  }

  /** The part after the field path: type, value (for most types) and detail. */
  String body() {
    StringBuilder s = new StringBuilder(type.label);
    if (type.showsValue) {
      s.append(": ").append(render(value));
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  /** Formats a bad value as Go's %v / %q would: strings quoted, numbers bare, the rest as JSON. */
  static String render(Object value) {
    if (value == null) {
      return "\"null\"";
    }
    if (value instanceof JsonNode node) {
      if (node.isTextual()) {
        return quote(node.asText());
      }
      if (node.isNumber()) {
        return number(node.decimalValue());
      }
      return node.toString();
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Double d) {
      return number(BigDecimal.valueOf(d));
    }
    return String.valueOf(value);
  }

  private static String number(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toPlainString();
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
