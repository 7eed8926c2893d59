package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GCP {@code /computeMetadata/v1/instance/preempted}: {@code FALSE} normally, {@code TRUE} once the
 * VM is being preempted. No time is given: the VM stops at the end of the GCP window (30 s).
 */
public final class GcpPreemptedParser implements MetadataNoticeParser {
  private static final Logger LOG = LoggerFactory.getLogger(GcpPreemptedParser.class);

  @Override
  public Optional<Notice> parse(String node, MetadataResponse r, NoticeContext ctx) {
    if (!r.ok()) {
      LOG.warn("instance/preempted answered HTTP {}", r.status());
      return Optional.empty();
    }
    String value = r.body().trim();
    if (value.equalsIgnoreCase("FALSE")) {
      return Optional.empty();
    }
    if (!value.equalsIgnoreCase("TRUE")) {
      LOG.warn("ignoring malformed instance/preempted {}", AwsInstanceActionParser.abbreviate(value));
      return Optional.empty();
    }
    Instant now = ctx.now();
    return Optional.of(
        new Notice(
            node,
            NoticeKind.SpotInterruption,
            NoticeSource.AgentGcp,
            now.plus(ctx.windows().windowFor(Cloud.Gcp)),
            now,
            "instance/preempted TRUE"));
  }
}
