package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One node of a structural OpenAPI v3 schema as found in a CRD, with the Kubernetes extensions. */
record Schema(
    String type,
    Map<String, Schema> properties,
    Schema items,
    Schema additionalProperties,
    List<String> required,
    List<JsonNode> enumValues,
    Double minimum,
    Double maximum,
    boolean exclusiveMinimum,
    boolean exclusiveMaximum,
    Long minLength,
    Long maxLength,
    Long minItems,
    Long maxItems,
    Long minProperties,
    Long maxProperties,
    String pattern,
    JsonNode defaultValue,
    boolean nullable,
    boolean intOrString,
    boolean preserveUnknownFields,
    boolean embeddedResource,
    String listType,
    List<String> listMapKeys,
    List<Rule> rules) {

  /** An x-kubernetes-validations entry. */
  record Rule(String rule, String message, String messageExpression, String reason, String fieldPath, boolean optionalOldSelf) {}

  /** A schema that allows anything, for places the CRD leaves open. */
  static final Schema ANY =
      new Schema(null, Map.of(), null, null, List.of(), List.of(), null, null, false, false, null, null, null, null,
          null, null, null, null, true, false, true, false, null, List.of(), List.of());

  static Schema parse(JsonNode node) {
    Map<String, Schema> properties = new LinkedHashMap<>();
    node.path("properties").properties().forEach(e -> properties.put(e.getKey(), parse(e.getValue())));
    JsonNode additional = node.get("additionalProperties");
    List<Rule> rules = new ArrayList<>();
    for (JsonNode r : node.path("x-kubernetes-validations")) {
      rules.add(new Rule(r.path("rule").asText(), text(r, "message"), text(r, "messageExpression"), text(r, "reason"),
          text(r, "fieldPath"), r.path("optionalOldSelf").asBoolean(false)));
    }
    List<JsonNode> enums = new ArrayList<>();
    node.path("enum").forEach(enums::add);
    return new Schema(
        text(node, "type"),
        Collections.unmodifiableMap(properties),
        node.has("items") ? parse(node.get("items")) : null,
        additional != null && additional.isObject() ? parse(additional) : null,
        strings(node.path("required")),
        List.copyOf(enums),
        node.has("minimum") ? node.get("minimum").asDouble() : null,
        node.has("maximum") ? node.get("maximum").asDouble() : null,
        node.path("exclusiveMinimum").asBoolean(false),
        node.path("exclusiveMaximum").asBoolean(false),
        longOrNull(node, "minLength"),
        longOrNull(node, "maxLength"),
        longOrNull(node, "minItems"),
        longOrNull(node, "maxItems"),
        longOrNull(node, "minProperties"),
        longOrNull(node, "maxProperties"),
        text(node, "pattern"),
        node.get("default"),
        node.path("nullable").asBoolean(false),
        node.path("x-kubernetes-int-or-string").asBoolean(false),
        node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false),
        node.path("x-kubernetes-embedded-resource").asBoolean(false),
        text(node, "x-kubernetes-list-type"),
        strings(node.path("x-kubernetes-list-map-keys")),
        List.copyOf(rules));
  }

  /** The schema of a value under key {@code name} of an object, or null when the key is not declared. */
  Schema child(String name) {
    Schema declared = properties.get(name);
    if (declared != null) {
      return declared;
    }
    if (additionalProperties != null) {
      return additionalProperties;
    }
    return preserveUnknownFields ? ANY : null;
  }

  /** The type name the API server reports for this node in CEL errors. */
  String typeName() {
    return type == null ? "" : type;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Long longOrNull(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asLong() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return List.copyOf(out);
  }
}
