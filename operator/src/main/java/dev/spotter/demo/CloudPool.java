package dev.spotter.demo;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A cloud the demo can dress one of its spot pools as: that cloud's node labels and providerID, and
 * notices delivered as {@code spotter agent} marks them there (taint and annotation
 * {@link InterruptionMark#KEY}, source agent-alibaba or agent-tencent) instead of GKE's taint.
 */
public enum CloudPool {
  NONE(Cloud.Unknown, null, null, "none"),
  ALIBABA(Cloud.Alibaba, NoticeSource.AgentAlibaba, "alibabacloud.com/nodepool-id", "Alibaba Cloud"),
  TENCENT(Cloud.Tencent, NoticeSource.AgentTencent, "tke.cloud.tencent.com/nodepool-id", "Tencent Cloud");

  private final String displayName;
  private final Cloud cloud;
  private final NoticeSource source;
  private final String nodePoolLabel;

  CloudPool(Cloud cloud, NoticeSource source, String nodePoolLabel, String displayName) {
    this.displayName = displayName;
    this.cloud = cloud;
    this.source = source;
    this.nodePoolLabel = nodePoolLabel;
  }

  /** Reads the command-line spelling: alibaba, tencent or none. */
  public static CloudPool parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cloud-pool must be alibaba, tencent or none, got " + value);
    }
  }

  public String displayName() {
    return displayName;
  }

  public Cloud cloud() {
    return cloud;
  }

  public NoticeSource source() {
    return source;
  }

  /** Adds the labels that cloud's managed Kubernetes puts on a node of the node pool {@code pool}. */
  void label(Map<String, String> labels, String pool) {
    labels.put(nodePoolLabel, "np-" + Integer.toHexString(pool.hashCode() & 0xfffffff));
  }

  /**
   * The providerID its cloud controller writes: Alibaba's bare {@code <region>.i-<id>} (ACK), Tencent's
   * {@code qcloud:///<zone>/ins-<id>} (TKE).
   */
  String providerId(String node, String zone) {
    String id = String.format("%08x", node.hashCode());
    if (this == TENCENT) {
      return "qcloud:///" + zone + "/ins-" + id;
    }
    String region = zone.toLowerCase(Locale.ROOT).replaceAll("-[a-z]$", "").replaceAll("[^a-z0-9-]", "-");
    return region.matches("^[a-z]+-[a-z0-9-]+$") ? region + ".i-" + id : "alicloud://" + zone + "/i-" + id;
  }

  /** The annotation {@code spotter agent} writes on this cloud for a reclaim at {@code deadline}. */
  String annotation(String node, Instant deadline, Instant observedAt) {
    String detail = this == ALIBABA ? "instance/spot/termination-time " + deadline : "spot/termination-time " + deadline;
    return InterruptionMark.encode(new Notice(node, NoticeKind.SpotInterruption, source, deadline, observedAt, detail));
  }
}
