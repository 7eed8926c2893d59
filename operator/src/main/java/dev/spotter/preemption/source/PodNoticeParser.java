package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Turns one observed Pod into the notices it carries (usually none). */
public interface PodNoticeParser {
  /** A short name for logs. */
  String name();

  /** Notices about this pod; malformed parts are logged and skipped, never thrown. */
  List<Notice> parse(Pod pod, NoticeContext ctx);
}
