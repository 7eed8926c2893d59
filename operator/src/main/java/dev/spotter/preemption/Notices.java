package dev.spotter.preemption;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers over many notices, for callers that hear the same node from several sources. */
public final class Notices {
  private Notices() {}

  /** The single notice that matters per node: most urgent kind first, then earliest deadline. */
  public static Map<String, Notice> mostUrgentPerNode(Collection<Notice> notices) {
    Map<String, Notice> byNode = new LinkedHashMap<>();
    for (Notice n : notices) {
      byNode.merge(n.node(), n, (kept, next) -> kept.supersededBy(next) ? next : kept);
    }
    return byNode;
  }
}
