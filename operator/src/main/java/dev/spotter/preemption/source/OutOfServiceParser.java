package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/**
 * Non-graceful node shutdown: taint {@code node.kubernetes.io/out-of-service} (any value, usually
 * NoExecute), set by an admin or a cloud provider once the machine is known to be off. The node is
 * already gone, so the deadline is when the taint was added (or now).
 */
public final class OutOfServiceParser implements NodeNoticeParser {
  static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

  @Override
  public String name() {
    return NoticeSource.OutOfService.tag();
  }

  @Override
  public List<Notice> parse(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    if (name == null) {
      return List.of();
    }
    return Nodes.taint(node, OUT_OF_SERVICE)
        .map(
            t -> {
              var at = Nodes.windowStart(t, ctx.now());
              return List.of(
                  new Notice(
                      name,
                      NoticeKind.NodeGone,
                      NoticeSource.OutOfService,
                      at,
                      at,
                      TaintNoticeParser.detail(t)));
            })
        .orElse(List.of());
  }
}
