package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import java.util.Optional;

/**
 * Turns one metadata-service answer into a notice for the agent's node. "Nothing scheduled"
 * answers and malformed ones both give empty; malformed ones are logged.
 */
public interface MetadataNoticeParser {
  Optional<Notice> parse(String node, MetadataResponse response, NoticeContext ctx);
}
