package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/** Turns one observed Node into the notices it carries from one source (usually none). */
public interface NodeNoticeParser {
  /** A short name for logs. */
  String name();

  /** Notices on this node; malformed parts are logged and skipped, never thrown. */
  List<Notice> parse(Node node, NoticeContext ctx);
}
