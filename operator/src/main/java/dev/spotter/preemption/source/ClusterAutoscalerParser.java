package dev.spotter.preemption.source;

import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster autoscaler scale-down: taint {@code ToBeDeletedByClusterAutoscaler:NoSchedule} whose
 * value is the Unix time (seconds) at which it was added. A value that is not a number still marks
 * the node; the window then starts when Spotter first sees it.
 */
public final class ClusterAutoscalerParser extends TaintNoticeParser {
  static final String TO_BE_DELETED = "ToBeDeletedByClusterAutoscaler";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterAutoscalerParser.class);

  public ClusterAutoscalerParser() {
    super(NoticeSource.ClusterAutoscaler, Map.of(TO_BE_DELETED, (n, t) -> NoticeKind.Termination));
  }

  @Override
  Instant windowStart(Node node, Taint taint, Instant now) {
    String value = taint.getValue();
    if (value != null && !value.isBlank()) {
      try {
        Instant added = Instant.ofEpochSecond(Long.parseLong(value.trim()));
        // a clock-skewed future value must not stretch the deadline
        return added.isAfter(now) ? now : added;
      } catch (NumberFormatException | java.time.DateTimeException e) {
        LOG.warn("node {}: {} value {} is not a Unix time", Nodes.name(node), TO_BE_DELETED, value);
      }
    }
    return Nodes.windowStart(taint, now);
  }
}
