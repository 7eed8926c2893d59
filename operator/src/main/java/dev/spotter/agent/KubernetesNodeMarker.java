package dev.spotter.agent;

import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.Notice;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the node through the API server: taint {@code spotter.dev/interruption=<kind>:NoSchedule}
 * and the annotation described in {@link InterruptionMark}. It touches only the node named in the
 * notice (the agent's own), and only when that node does not already carry the same or a more
 * urgent mark, so restarts and repeated polls patch at most once per notice.
 */
public final class KubernetesNodeMarker implements NodeMarker {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesNodeMarker.class);

  private final KubernetesClient client;

  public KubernetesNodeMarker(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean mark(Notice notice) {
    var resource = client.nodes().withName(notice.node());
    Node current = resource.get();
    if (current == null) {
      throw new IllegalStateException("node " + notice.node() + " not found");
    }
    if (alreadyMarked(current, notice)) {
      return false;
    }
    String annotation = InterruptionMark.encode(notice);
    resource.edit(n -> withMark(n, notice, annotation));
    LOG.info("marked node {}: {}", notice.node(), annotation);
    return true;
  }

  private static boolean alreadyMarked(Node node, Notice notice) {
    boolean tainted =
        node.getSpec() != null
            && node.getSpec().getTaints() != null
            && node.getSpec().getTaints().stream().anyMatch(t -> InterruptionMark.KEY.equals(t.getKey()));
    Optional<Notice> existing = existing(node);
    return tainted
        && existing.isPresent()
        && existing.get().kind().urgency() >= notice.kind().urgency();
  }

  private static Optional<Notice> existing(Node node) {
    var annotations = node.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(InterruptionMark.KEY);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InterruptionMark.decode(node.getMetadata().getName(), value, java.time.Instant.EPOCH));
    } catch (IllegalArgumentException e) {
      LOG.warn("overwriting unreadable {} annotation: {}", InterruptionMark.KEY, e.getMessage());
      return Optional.empty();
    }
  }

  private static Node withMark(Node node, Notice notice, String annotation) {
    List<Taint> taints = new ArrayList<>();
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      node.getSpec().getTaints().stream()
          .filter(t -> !InterruptionMark.KEY.equals(t.getKey()))
          .forEach(taints::add);
    }
    taints.add(
        new TaintBuilder()
            .withKey(InterruptionMark.KEY)
            .withValue(notice.kind().name())
            .withEffect(InterruptionMark.TAINT_EFFECT)
            .build());
    return new NodeBuilder(node)
        .editMetadata()
        .addToAnnotations(InterruptionMark.KEY, annotation)
        .endMetadata()
        .editOrNewSpec()
        .withTaints(taints)
        .endSpec()
        .build();
  }
}
