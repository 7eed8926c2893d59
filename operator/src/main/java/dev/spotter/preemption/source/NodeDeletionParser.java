package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.List;

/**
 * Node removal. A node that still exists with {@code metadata.deletionTimestamp} set is being
 * deleted behind a finalizer (Karpenter's termination finalizer drains it first): a {@link
 * NoticeKind#Termination} within the cloud window. A node that the watch reports deleted is {@link
 * NoticeKind#NodeGone} at once; call {@link #deleted(Node, NoticeContext)} from the delete event.
 */
public final class NodeDeletionParser implements NodeNoticeParser {
  @Override
  public String name() {
    return NoticeSource.NodeDeleted.tag();
  }

  @Override
  public List<Notice> parse(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    if (name == null || node.getMetadata().getDeletionTimestamp() == null) {
      return List.of();
    }
    Instant now = ctx.now();
    Instant since =
        Nodes.parseTime(node.getMetadata().getDeletionTimestamp()).filter(t -> !t.isAfter(now)).orElse(now);
    Instant deadline = since.plus(ctx.windows().windowFor(CloudDetector.of(node)));
    return List.of(
        new Notice(name, NoticeKind.Termination, NoticeSource.NodeDeleted, deadline, since, "deletionTimestamp set"));
  }

  /** The notice for a node the API server no longer has. */
  public List<Notice> deleted(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    if (name == null) {
      return List.of();
    }
    Instant now = ctx.now();
    return List.of(new Notice(name, NoticeKind.NodeGone, NoticeSource.NodeDeleted, now, now, "node deleted"));
  }
}
