package dev.spotter.preemption.source;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Null-safe reads of the parts of a Node that the parsers look at. */
final class Nodes {
  private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

  private Nodes() {}

  static String name(Node node) {
    ObjectMeta meta = node.getMetadata();
    return meta == null ? null : meta.getName();
  }

  static Map<String, String> labels(Node node) {
    ObjectMeta meta = node.getMetadata();
    return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
  }

  static Map<String, String> annotations(Node node) {
    ObjectMeta meta = node.getMetadata();
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  static Optional<Taint> taint(Node node, String key) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return Optional.empty();
    }
    return node.getSpec().getTaints().stream()
        .filter(t -> t != null && key.equals(t.getKey()))
        .findFirst();
  }

  /**
   * When the notice window started: the taint's {@code timeAdded} when the API server recorded
   * one (it does for NoExecute taints), else {@code now}, the first time Spotter sees it.
   */
  static Instant windowStart(Taint taint, Instant now) {
    return parseTime(taint.getTimeAdded()).orElse(now);
  }

  /** An RFC 3339 Kubernetes timestamp; empty when absent, logged and empty when malformed. */
  static Optional<Instant> parseTime(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.trim()));
    } catch (DateTimeParseException e) {
      LOG.warn("ignoring malformed timestamp {}", value);
      return Optional.empty();
    }
  }

  static boolean labelIs(Node node, String key, String value) {
    return value.equalsIgnoreCase(labels(node).getOrDefault(key, ""));
  }
}
