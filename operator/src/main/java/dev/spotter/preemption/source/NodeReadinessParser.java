package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.List;

/**
 * A node whose {@code Ready} condition is {@code False} or {@code Unknown} (the kubelet stopped
 * reporting, e.g. the machine vanished). The deadline is the cloud window counted from the
 * condition's last transition: a spot node that went silent without a notice rarely comes back.
 */
public final class NodeReadinessParser implements NodeNoticeParser {
  @Override
  public String name() {
    return NoticeSource.NodeNotReady.tag();
  }

  @Override
  public List<Notice> parse(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    if (name == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return List.of();
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if (c == null || !"Ready".equals(c.getType()) || "True".equals(c.getStatus())) {
        continue;
      }
      Instant now = ctx.now();
      Instant since = Nodes.parseTime(c.getLastTransitionTime()).filter(t -> !t.isAfter(now)).orElse(now);
      Instant deadline = since.plus(ctx.windows().windowFor(CloudDetector.of(node)));
      String detail = "Ready=" + c.getStatus() + (c.getReason() == null ? "" : " reason=" + c.getReason());
      return List.of(new Notice(name, NoticeKind.NodeNotReady, NoticeSource.NodeNotReady, deadline, since, detail));
    }
    return List.of();
  }
}
