package dev.spotter.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.Optional;
import java.util.Set;

/** Whether new work may be placed on a node: Ready, schedulable and not about to go away. */
public final class NodeHealth {
  /** Taints that mean the node is being drained or taken back. */
  static final Set<String> DISRUPTION_TAINTS = Set.of(
      "spotter.dev/interruption",
      "karpenter.sh/disrupted",
      "karpenter.sh/disruption",
      "aws-node-termination-handler/spot-itn",
      "aws-node-termination-handler/rebalance-recommendation",
      "aws-node-termination-handler/scheduled-maintenance",
      "aws-node-termination-handler/asg-lifecycle-termination",
      "cloud.google.com/impending-node-termination",
      "node.kubernetes.io/out-of-service",
      "ToBeDeletedByClusterAutoscaler",
      "node.kubernetes.io/unreachable",
      "node.kubernetes.io/not-ready",
      "node.kubernetes.io/unschedulable");

  private NodeHealth() {}

  /** Empty when the node can take new work, else a short reason. */
  public static Optional<String> unusableReason(Node n) {
    if (n.getMetadata().getDeletionTimestamp() != null) {
      return Optional.of("node is being deleted");
    }
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return Optional.of("node is cordoned");
    }
    if (n.getSpec() != null && n.getSpec().getTaints() != null) {
      for (Taint t : n.getSpec().getTaints()) {
        if (DISRUPTION_TAINTS.contains(t.getKey())) {
          return Optional.of("node has taint " + t.getKey());
        }
      }
    }
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return Optional.of("node reports no conditions");
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus()) ? Optional.empty() : Optional.of("node is not Ready");
      }
    }
    return Optional.of("node reports no Ready condition");
  }
}
