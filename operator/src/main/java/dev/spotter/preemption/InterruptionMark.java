package dev.spotter.preemption;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mark Spotter's node agent puts on its own node: taint {@code spotter.dev/interruption} (value:
 * the notice kind, effect NoSchedule) and an annotation of the same key holding one JSON object:
 *
 * <pre>
 * {"kind":"SpotInterruption","source":"agent-aws","deadline":"2025-03-01T10:02:00Z",
 *  "observedAt":"2025-03-01T10:00:03Z","detail":"instance-action terminate"}
 * </pre>
 *
 * {@code kind} is a {@link NoticeKind} name, {@code source} a {@link NoticeSource} tag, times are
 * RFC 3339 in UTC. {@code kind}, {@code source} and {@code deadline} are required; unknown fields
 * are ignored so that later agents can add some.
 */
public final class InterruptionMark {
  /** Taint key and annotation key. */
  public static final String KEY = "spotter.dev/interruption";

  /** Taint effect: keep new pods off the node, leave running ones to Spotter. */
  public static final String TAINT_EFFECT = "NoSchedule";

  private static final ObjectMapper JSON = new ObjectMapper();

  private InterruptionMark() {}

  /** The annotation value for a notice. */
  public static String encode(Notice notice) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("kind", notice.kind().name());
    fields.put("source", notice.source().tag());
    fields.put("deadline", notice.deadline().toString());
    fields.put("observedAt", notice.observedAt().toString());
    if (!notice.detail().isEmpty()) {
      fields.put("detail", notice.detail());
    }
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a map of strings", e);
    }
  }

  /**
   * Reads an annotation value back into a notice for {@code node}.
   *
   * @param fallbackObservedAt used when the annotation has no {@code observedAt}
   * @throws IllegalArgumentException with the reason, when the value is not a valid mark
   */
  public static Notice decode(String node, String value, Instant fallbackObservedAt) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("empty annotation");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    NoticeKind kind = kindOf(text(root, "kind"));
    NoticeSource source =
        NoticeSource.fromTag(text(root, "source"))
            .orElseThrow(() -> new IllegalArgumentException("unknown source " + root.get("source")));
    Instant deadline = instant(root, "deadline");
    Instant observedAt =
        root.hasNonNull("observedAt") ? instant(root, "observedAt") : fallbackObservedAt;
    String detail = root.hasNonNull("detail") ? root.get("detail").asText() : "";
    return new Notice(node, kind, source, deadline, observedAt, detail);
  }

  /** The notice kind named by a taint value or annotation field. */
  public static NoticeKind kindOf(String name) {
    try {
      return NoticeKind.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown kind " + name);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return n.asText();
  }

  private static Instant instant(JsonNode root, String field) {
    String t = text(root, field);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad " + field + " " + t);
    }
  }
}
