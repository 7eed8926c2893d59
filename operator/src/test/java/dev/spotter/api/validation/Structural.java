package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server does to a custom object before it validates it: it prunes the fields the
 * structural schema does not declare, drops nulls the schema does not allow, and applies defaults.
 */
final class Structural {
  /** Fields every object carries whatever its schema says. */
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private Structural() {}

  /** Removes undeclared fields in place and returns their paths, in document order. */
  static List<String> prune(ObjectNode root, Schema schema) {
    List<String> pruned = new ArrayList<>();
    pruneObject(root, schema, "", true, pruned);
    return pruned;
  }

  private static void prune(JsonNode node, Schema schema, String path, List<String> pruned) {
    if (schema == null || schema.preserveUnknownFields() && schema.properties().isEmpty() && schema.additionalProperties() == null) {
      return;
    }
    if (node instanceof ObjectNode object) {
      pruneObject(object, schema, path, false, pruned);
    } else if (node instanceof ArrayNode array && schema.items() != null) {
      for (int i = 0; i < array.size(); i++) {
        prune(array.get(i), schema.items(), FieldError.index(path, i), pruned);
      }
    }
  }

  private static void pruneObject(ObjectNode object, Schema schema, String path, boolean root, List<String> pruned) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (root && ROOT_FIELDS.contains(name)) {
        continue;
      }
      Schema child = schema.child(name);
      if (child == null) {
        pruned.add(FieldError.child(path, name));
        fields.remove();
      } else {
        String childPath = schema.properties().containsKey(name) ? FieldError.child(path, name) : FieldError.key(path, name);
        prune(field.getValue(), child, childPath, pruned);
      }
    }
  }

  /**
   * Drops nulls of non-nullable fields, then fills in missing fields that have a default, top
   * down, so a defaulted object gets the defaults of its own fields too.
   */
  static void applyDefaults(JsonNode node, Schema schema) {
    if (schema == null) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, Schema> property : schema.properties().entrySet()) {
        String name = property.getKey();
        Schema child = property.getValue();
        JsonNode value = object.get(name);
        if (value != null && value.isNull() && !child.nullable()) {
          object.remove(name);
          value = null;
        }
        if (value == null && child.defaultValue() != null) {
          object.set(name, child.defaultValue().deepCopy());
        }
      }
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        applyDefaults(object.get(name), schema.child(name));
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode item : array) {
        applyDefaults(item, schema.items());
      }
    }
  }
}
