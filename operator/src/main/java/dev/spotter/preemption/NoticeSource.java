package dev.spotter.preemption;

import java.util.Optional;

/**
 * Where a notice came from. The tags are a closed set, so they are safe as metric tag values and
 * in the agent's node annotation.
 */
public enum NoticeSource {
  Karpenter("karpenter"),
  AwsNodeTerminationHandler("aws-nth"),
  Gke("gke"),
  Aks("aks"),
  ClusterAutoscaler("cluster-autoscaler"),
  OutOfService("out-of-service"),
  NodeDeleted("node-deleted"),
  NodeNotReady("node-not-ready"),
  PodDisruptionTarget("pod-disruption-target"),
  AgentAws("agent-aws"),
  AgentGcp("agent-gcp"),
  AgentAzure("agent-azure"),
  AgentAlibaba("agent-alibaba"),
  AgentTencent("agent-tencent");

  private final String tag;

  NoticeSource(String tag) {
    this.tag = tag;
  }

  /** The lower-case, stable name used in metrics, logs and annotations. */
  public String tag() {
    return tag;
  }

  /** The source with this tag, if any. */
  public static Optional<NoticeSource> fromTag(String tag) {
    for (NoticeSource s : values()) {
      if (s.tag.equals(tag)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The source that Spotter's own agent reports for a cloud. */
  public static NoticeSource agentFor(Cloud cloud) {
    return switch (cloud) {
      case Aws -> AgentAws;
      case Gcp -> AgentGcp;
      case Azure -> AgentAzure;
      case Alibaba -> AgentAlibaba;
      case Tencent -> AgentTencent;
      case Unknown -> throw new IllegalArgumentException("the agent needs a known cloud");
    };
  }
}
