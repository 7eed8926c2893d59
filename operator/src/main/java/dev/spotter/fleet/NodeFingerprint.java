package dev.spotter.fleet;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parts of a node placement depends on, so heartbeat-only updates cause no work. */
record NodeFingerprint(Map<String, String> labels, Object allocatable, Optional<String> unusable, List<?> taints) {
  static NodeFingerprint of(Node n) {
    return new NodeFingerprint(
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels(),
        n.getStatus() == null ? null : n.getStatus().getAllocatable(),
        NodeHealth.unusableReason(n),
        n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
  }
}
