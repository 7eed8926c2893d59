package dev.spotter.preemption;

/** What a preemption notice announces about a node, from mildest to most final. */
public enum NoticeKind {
  /** The cloud says the node is at elevated risk; nothing is scheduled yet (AWS rebalance). */
  RebalanceRecommendation(1),
  /** The node is reachable but not Ready; it may come back or may be gone for good. */
  NodeNotReady(2),
  /** Planned host maintenance that stops the node (AKS redeploy, AWS scheduled maintenance). */
  Maintenance(3),
  /** A provisioner or autoscaler is removing the node (Karpenter, cluster autoscaler). */
  Termination(4),
  /** One pod is about to be disrupted (pod condition DisruptionTarget); the node may stay. */
  PodDisruption(4),
  /** The cloud is reclaiming spot capacity; the node goes at the deadline. */
  SpotInterruption(5),
  /** The node is already gone (deleted, or shut down and marked out-of-service). */
  NodeGone(6);

  private final int urgency;

  NoticeKind(int urgency) {
    this.urgency = urgency;
  }

  /** Higher means more final; a notice never replaces a more urgent one on the same node. */
  public int urgency() {
    return urgency;
  }
}
