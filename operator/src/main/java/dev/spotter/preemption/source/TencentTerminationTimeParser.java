package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tencent Cloud CVM {@code /latest/meta-data/spot/termination-time}: 404 when the instance is not
 * spot or not being reclaimed, else the reclaim time as {@code 2018-08-18 12:05:33} in UTC+8
 * (China Standard Time, whatever the instance's own time zone is).
 */
public final class TencentTerminationTimeParser implements MetadataNoticeParser {
  /** Tencent reports reclaim times in China Standard Time. */
  public static final ZoneOffset TENCENT_OFFSET = ZoneOffset.ofHours(8);

  private static final Logger LOG = LoggerFactory.getLogger(TencentTerminationTimeParser.class);
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Override
  public Optional<Notice> parse(String node, MetadataResponse r, NoticeContext ctx) {
    if (r.notFound()) {
      return Optional.empty();
    }
    if (!r.ok()) {
      LOG.warn("spot/termination-time answered HTTP {}", r.status());
      return Optional.empty();
    }
    String value = r.body().trim();
    Instant reclaim;
    try {
      reclaim = LocalDateTime.parse(value, FORMAT).toInstant(TENCENT_OFFSET);
    } catch (DateTimeParseException e) {
      LOG.warn("ignoring malformed Tencent termination-time {}", AwsInstanceActionParser.abbreviate(value));
      return Optional.empty();
    }
    return Optional.of(
        new Notice(
            node,
            NoticeKind.SpotInterruption,
            NoticeSource.AgentTencent,
            reclaim,
            ctx.now(),
            "termination-time " + value + " (UTC+8)"));
  }
}
