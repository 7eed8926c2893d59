package dev.spotter.preemption.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS IMDS {@code /latest/meta-data/events/recommendations/rebalance}: 404 until EC2 signals
 * elevated interruption risk, then {@code {"noticeTime": "2025-03-01T09:58:00Z"}}. AWS gives no
 * deadline; the earliest the node can go is a full interruption window after the signal, since a
 * real interruption always comes with its own two-minute notice.
 */
public final class AwsRebalanceParser implements MetadataNoticeParser {
  private static final Logger LOG = LoggerFactory.getLogger(AwsRebalanceParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Optional<Notice> parse(String node, MetadataResponse r, NoticeContext ctx) {
    if (r.notFound()) {
      return Optional.empty();
    }
    if (!r.ok()) {
      LOG.warn("events/recommendations/rebalance answered HTTP {}", r.status());
      return Optional.empty();
    }
    try {
      Instant noticeTime = Instant.parse(JSON.readTree(r.body()).path("noticeTime").asText(""));
      return Optional.of(
          new Notice(
              node,
              NoticeKind.RebalanceRecommendation,
              NoticeSource.AgentAws,
              noticeTime.plus(ctx.windows().windowFor(Cloud.Aws)),
              noticeTime,
              "rebalance recommendation"));
    } catch (Exception e) {
      LOG.warn(
          "ignoring malformed rebalance recommendation {}: {}",
          AwsInstanceActionParser.abbreviate(r.body()),
          e.toString());
      return Optional.empty();
    }
  }
}
