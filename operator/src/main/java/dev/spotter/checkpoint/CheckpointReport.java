package dev.spotter.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a worker says about a committed checkpoint (docs/checkpoint-contract.md): a JSON object
 * with {@code id} (required: the value the next attempt gets as SPOTTER_RESUME_FROM), and
 * optionally {@code step} and {@code time} (RFC 3339).
 */
public record CheckpointReport(String id, Long step, Instant time) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses a worker's answer; empty when it is not a checkpoint report. */
  public static Optional<CheckpointReport> parse(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(body);
      String id = n.path("id").asText(null);
      if (id == null || id.isBlank()) {
        return Optional.empty();
      }
      Long step = n.hasNonNull("step") && n.get("step").canConvertToLong() ? n.get("step").asLong() : null;
      Instant time = null;
      if (n.hasNonNull("time")) {
        try {
          time = Instant.parse(n.get("time").asText());
        } catch (DateTimeParseException e) {
          time = null;
        }
      }
      return Optional.of(new CheckpointReport(id, step, time));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  public String toJson() {
    var n = JSON.createObjectNode().put("id", id);
    if (step != null) {
      n.put("step", step);
    }
    if (time != null) {
      n.put("time", time.toString());
    }
    return n.toString();
  }
}
