package dev.spotter.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;

/**
 * A manifest fixture: YAML text plus small edits by path, so a table row reads as "the valid
 * manifest, with spec.workers set to 0". Paths are dotted, with [i] for list items.
 */
final class Manifest {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  private final ObjectNode root;

  private Manifest(ObjectNode root) {
    this.root = root;
  }

  static Manifest of(String yaml) {
    try {
      return new Manifest((ObjectNode) YAML.readTree(yaml));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy with the value at path replaced; values may be strings, numbers, booleans, lists, maps or YAML text via {@link #yaml(String)}. */
  Manifest with(String path, Object value) {
    ObjectNode copy = root.deepCopy();
    String[] steps = path.split("\\.");
    JsonNode parent = navigate(copy, steps);
    JsonNode node = value instanceof JsonNode n ? n : YAML.valueToTree(value);
    String last = steps[steps.length - 1];
    int bracket = last.indexOf('[');
    if (bracket >= 0) {
      ArrayNode list = (ArrayNode) parent.get(last.substring(0, bracket));
      list.set(Integer.parseInt(last.substring(bracket + 1, last.length() - 1)), node);
    } else {
      ((ObjectNode) parent).set(last, node);
    }
    return new Manifest(copy);
  }

  /** A copy without the field at path. */
  Manifest without(String path) {
    ObjectNode copy = root.deepCopy();
    String[] steps = path.split("\\.");
    ((ObjectNode) navigate(copy, steps)).remove(steps[steps.length - 1]);
    return new Manifest(copy);
  }

  /** A value written as YAML, for nested objects and lists in table rows. */
  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode navigate(ObjectNode root, String[] steps) {
    JsonNode node = root;
    for (int i = 0; i < steps.length - 1; i++) {
      String step = steps[i];
      int bracket = step.indexOf('[');
      if (bracket >= 0) {
        node = node.get(step.substring(0, bracket)).get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
      } else {
        if (!node.has(step)) {
          ((ObjectNode) node).putObject(step);
        }
        node = node.get(step);
      }
    }
    return node;
  }

  String yaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return yaml();
  }
}
