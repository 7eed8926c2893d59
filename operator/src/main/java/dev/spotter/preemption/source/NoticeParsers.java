package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of notice parsers: feed it every Node and Pod the operator observes and it returns
 * the notices they carry. A parser that fails on odd input is logged and skipped; the others still
 * run, so one malformed taint never hides another source's notice.
 */
public final class NoticeParsers {
  private static final Logger LOG = LoggerFactory.getLogger(NoticeParsers.class);

  private final List<NodeNoticeParser> nodeParsers;
  private final List<PodNoticeParser> podParsers;
  private final NodeDeletionParser deletion = new NodeDeletionParser();
  private final NoticeContext ctx;

  public NoticeParsers(
      List<NodeNoticeParser> nodeParsers, List<PodNoticeParser> podParsers, NoticeContext ctx) {
    this.nodeParsers = List.copyOf(nodeParsers);
    this.podParsers = List.copyOf(podParsers);
    this.ctx = ctx;
  }

  /** Every source Spotter knows, in the given context. */
  public static NoticeParsers all(NoticeContext ctx) {
    return new NoticeParsers(
        List.of(
            new KarpenterParser(),
            new AwsNodeTerminationHandlerParser(),
            new GkeParser(),
            new AksParser(),
            new ClusterAutoscalerParser(),
            new OutOfServiceParser(),
            new SpotterAgentParser(),
            new NodeReadinessParser(),
            new NodeDeletionParser()),
        List.of(new PodDisruptionTargetParser()),
        ctx);
  }

  /** Notices carried by a live node, from every source. */
  public List<Notice> fromNode(Node node) {
    List<Notice> out = new ArrayList<>();
    for (NodeNoticeParser p : nodeParsers) {
      try {
        out.addAll(p.parse(node, ctx));
      } catch (RuntimeException e) {
        LOG.warn("parser {} skipped node {}: {}", p.name(), Nodes.name(node), e.toString());
      }
    }
    return out;
  }

  /** Notices carried by a pod. */
  public List<Notice> fromPod(Pod pod) {
    List<Notice> out = new ArrayList<>();
    for (PodNoticeParser p : podParsers) {
      try {
        out.addAll(p.parse(pod, ctx));
      } catch (RuntimeException e) {
        String name = pod.getMetadata() == null ? null : pod.getMetadata().getName();
        LOG.warn("parser {} skipped pod {}: {}", p.name(), name, e.toString());
      }
    }
    return out;
  }

  /** The notice for a node the watch reported deleted. */
  public List<Notice> fromDeletedNode(Node node) {
    try {
      return deletion.deleted(node, ctx);
    } catch (RuntimeException e) {
      LOG.warn("skipped deleted node: {}", e.toString());
      return List.of();
    }
  }
}
