package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Declared CEL types for the nodes of a CRD schema, and the conversion of object values into the
 * CEL values of those types, as the API server does: objects with properties become struct types
 * (so a rule naming an undeclared field does not compile), maps and lists keep their element
 * types, integers are int64 (Long) and numbers double, int-or-string is dyn.
 */
final class CelTypes implements CelTypeProvider {
  /** CEL keywords the API server escapes as __name__ when they are property names. */
  private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
      "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");

  private final Map<Schema, CelType> types = new IdentityHashMap<>();
  private final Map<String, CelType> structs = new LinkedHashMap<>();

  CelTypes(Schema root, String rootName) {
    declare(root, rootName, true);
  }

  /** The declared type of a schema node; every node of the CRD was declared up front. */
  CelType typeOf(Schema schema) {
    CelType type = types.get(schema);
    return type == null ? SimpleType.DYN : type;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String name) {
    return Optional.ofNullable(structs.get(name));
  }

  private CelType declare(Schema schema, String name, boolean root) {
    CelType type;
    if (schema == null || schema.intOrString() || schema.type() == null || schema.embeddedResource()) {
      type = SimpleType.DYN;
    } else {
      type = switch (schema.type()) {
        case "string" -> SimpleType.STRING;
        case "integer" -> SimpleType.INT;
        case "number" -> SimpleType.DOUBLE;
        case "boolean" -> SimpleType.BOOL;
        case "array" -> ListType.create(schema.items() == null ? SimpleType.DYN : declare(schema.items(), name + ".@items", false));
        case "object" -> declareObject(schema, name, root);
        default -> SimpleType.DYN;
      };
    }
    if (schema != null) {
      types.put(schema, type);
    }
    return type;
  }

  private CelType declareObject(Schema schema, String name, boolean root) {
    if (schema.additionalProperties() != null) {
      return MapType.create(SimpleType.STRING, declare(schema.additionalProperties(), name + ".@values", false));
    }
    if (schema.properties().isEmpty()) {
      return schema.preserveUnknownFields() ? SimpleType.DYN : MapType.create(SimpleType.STRING, SimpleType.DYN);
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    schema.properties().forEach((property, child) -> {
      CelType fieldType = declare(child, name + "." + property, false);
      String escaped = escape(property);
      if (escaped != null) {
        fields.put(escaped, fieldType);
      }
    });
    if (root) {
      fields.putIfAbsent("apiVersion", SimpleType.STRING);
      fields.putIfAbsent("kind", SimpleType.STRING);
      fields.putIfAbsent("metadata", struct(name + ".metadata", Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING)));
    }
    return struct(name, fields);
  }

  private CelType struct(String name, Map<String, CelType> fields) {
    String typeName = name.replaceAll("[^A-Za-z0-9_.]", "_");
    StructType type = StructType.create(typeName, ImmutableSet.copyOf(fields.keySet()), field -> Optional.ofNullable(fields.get(field)));
    structs.put(typeName, type);
    return type;
  }

  /** The CEL value of a JSON node under the given schema. */
  static Object value(JsonNode node, Schema schema) {
    if (node == null || node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNumber()) {
      boolean integer = schema != null && ("integer".equals(schema.type()) || schema.intOrString())
          || (schema == null || schema.type() == null) && node.isIntegralNumber();
      return integer ? (Object) node.asLong() : (Object) node.asDouble();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>();
      for (JsonNode item : node) {
        items.add(value(item, schema == null ? null : schema.items()));
      }
      return items;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    boolean struct = schema != null && !schema.properties().isEmpty() && schema.additionalProperties() == null;
    node.properties().forEach(e -> {
      String key = struct ? escape(e.getKey()) : e.getKey();
      if (key != null) {
        fields.put(key, value(e.getValue(), schema == null ? null : schema.child(e.getKey())));
      }
    });
    return fields;
  }

  /** The name a property has in CEL, or null when the API server leaves it inaccessible. */
  static String escape(String property) {
    if (RESERVED.contains(property)) {
      return "__" + property + "__";
    }
    if (!property.matches("[A-Za-z_][A-Za-z0-9_.\\-/]*")) {
      return null;
    }
    return property.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__").replace("/", "__slash__");
  }
}
