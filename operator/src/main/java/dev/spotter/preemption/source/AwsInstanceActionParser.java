package dev.spotter.preemption.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS IMDS {@code /latest/meta-data/spot/instance-action}: 404 while nothing is scheduled, then
 * {@code {"action": "terminate"|"stop"|"hibernate", "time": "2025-03-01T10:02:00Z"}}, the time
 * being when EC2 acts — the deadline.
 */
public final class AwsInstanceActionParser implements MetadataNoticeParser {
  private static final Logger LOG = LoggerFactory.getLogger(AwsInstanceActionParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Optional<Notice> parse(String node, MetadataResponse r, NoticeContext ctx) {
    if (r.notFound()) {
      return Optional.empty();
    }
    if (!r.ok()) {
      LOG.warn("spot/instance-action answered HTTP {}", r.status());
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(r.body());
      String action = root.path("action").asText("");
      Instant time = Instant.parse(root.path("time").asText(""));
      if (action.isEmpty()) {
        throw new IllegalArgumentException("no action");
      }
      return Optional.of(
          new Notice(
              node,
              NoticeKind.SpotInterruption,
              NoticeSource.AgentAws,
              time,
              ctx.now(),
              "instance-action " + action));
    } catch (Exception e) {
      LOG.warn("ignoring malformed spot/instance-action {}: {}", abbreviate(r.body()), e.toString());
      return Optional.empty();
    }
  }

  static String abbreviate(String body) {
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 200) + "...'";
  }
}
