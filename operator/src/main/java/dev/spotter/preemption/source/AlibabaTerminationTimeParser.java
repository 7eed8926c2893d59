package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alibaba Cloud ECS {@code /latest/meta-data/instance/spot/termination-time}: 404 while no reclaim
 * is scheduled, else the reclaim time in UTC, e.g. {@code 2015-01-05T18:02:00Z}.
 */
public final class AlibabaTerminationTimeParser implements MetadataNoticeParser {
  private static final Logger LOG = LoggerFactory.getLogger(AlibabaTerminationTimeParser.class);

  @Override
  public Optional<Notice> parse(String node, MetadataResponse r, NoticeContext ctx) {
    if (r.notFound()) {
      return Optional.empty();
    }
    if (!r.ok()) {
      LOG.warn("instance/spot/termination-time answered HTTP {}", r.status());
      return Optional.empty();
    }
    String value = r.body().trim();
    Instant reclaim;
    try {
      reclaim = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      LOG.warn("ignoring malformed Alibaba termination-time {}", AwsInstanceActionParser.abbreviate(value));
      return Optional.empty();
    }
    return Optional.of(
        new Notice(
            node,
            NoticeKind.SpotInterruption,
            NoticeSource.AgentAlibaba,
            reclaim,
            ctx.now(),
            "termination-time " + value));
  }
}
