package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spotter's own node agent: taint {@code spotter.dev/interruption} (value: the notice kind) plus the
 * annotation of the same key described in {@link InterruptionMark}, which carries the deadline from
 * the cloud's metadata service. The taint is what makes it a notice: removing it dismisses a
 * leftover annotation. A broken annotation falls back to the taint value and the cloud window; a
 * broken taint value as well is logged and ignored.
 */
public final class SpotterAgentParser implements NodeNoticeParser {
  private static final Logger LOG = LoggerFactory.getLogger(SpotterAgentParser.class);

  @Override
  public String name() {
    return "spotter-agent";
  }

  @Override
  public List<Notice> parse(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    var taint = Nodes.taint(node, InterruptionMark.KEY);
    if (name == null || taint.isEmpty()) {
      return List.of();
    }
    Instant now = ctx.now();
    String annotation = Nodes.annotations(node).get(InterruptionMark.KEY);
    if (annotation != null) {
      try {
        return List.of(InterruptionMark.decode(name, annotation, now));
      } catch (IllegalArgumentException e) {
        LOG.warn("node {}: ignoring malformed {} annotation: {}", name, InterruptionMark.KEY, e.getMessage());
      }
    }
    return fromTaintAlone(node, name, taint.get(), ctx);
  }

  private List<Notice> fromTaintAlone(Node node, String name, Taint taint, NoticeContext ctx) {
    NoticeKind kind;
    try {
      kind = InterruptionMark.kindOf(taint.getValue());
    } catch (IllegalArgumentException e) {
      LOG.warn("node {}: ignoring {} taint: {}", name, InterruptionMark.KEY, e.getMessage());
      return List.of();
    }
    Cloud cloud = CloudDetector.of(node);
    if (cloud == Cloud.Unknown) {
      LOG.warn("node {}: {} taint without a readable annotation on an unknown cloud", name, InterruptionMark.KEY);
      return List.of();
    }
    Instant start = Nodes.windowStart(taint, ctx.now());
    Instant deadline = start.plus(ctx.windows().windowFor(cloud));
    return List.of(
        new Notice(
            name,
            kind,
            NoticeSource.agentFor(cloud),
            deadline,
            start,
            TaintNoticeParser.detail(taint) + " (annotation unreadable)"));
  }
}
