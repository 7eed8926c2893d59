package dev.spotter.demo;

import dev.spotter.api.CapacityType;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.NoticeKind;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TraceDriver.NodeEvent}s to the API server the way GKE would: spot nodes labelled
 * {@code cloud.google.com/gke-spot=true}; a preemption notice as the taint
 * {@code cloud.google.com/impending-node-termination:NoSchedule}; then the node object deleted. One
 * pool may instead be dressed as an Alibaba Cloud or Tencent Cloud pool ({@link CloudPool}): its
 * notices arrive as the marks {@code spotter agent} writes there.
 */
public final class ClusterNodes {
  /** The taint GKE puts on a node whose VM is about to be shut down. */
  public static final String NOTICE_TAINT = "cloud.google.com/impending-node-termination";
  public static final String GKE_SPOT_LABEL = "cloud.google.com/gke-spot";

  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

  private final KubernetesClient client;
  private final String gpuModel;
  private final int gpusPerNode;
  private CloudPool cloudPool = CloudPool.NONE;
  private String cloudPoolName;
  private UnaryOperator<Duration> toReal = UnaryOperator.identity();

  public ClusterNodes(KubernetesClient client, String gpuModel, int gpusPerNode) {
    this.client = client;
    this.gpuModel = gpuModel;
    this.gpusPerNode = gpusPerNode;
  }

  /**
   * Dresses {@code pool} as a pool of {@code cloud}.
   *
   * @param toReal turns a simulated notice window into real time: the agent's deadline is the
   *     cloud's reclaim time, which the operator reads against its own (real) clock
   */
  public ClusterNodes withCloudPool(CloudPool cloud, String pool, UnaryOperator<Duration> toReal) {
    this.cloudPool = cloud;
    this.cloudPoolName = pool;
    this.toReal = toReal;
    return this;
  }

  public void apply(List<TraceDriver.NodeEvent> events) {
    for (TraceDriver.NodeEvent e : events) {
      try {
        if (e instanceof TraceDriver.Added a) {
          add(a.node(), a.pool(), CapacityType.Spot, a.zone());
        } else if (e instanceof TraceDriver.Noticed n && isCloudPool(n.pool())) {
          agentMark(n);
        } else if (e instanceof TraceDriver.Noticed n) {
          notice(n.node());
        } else {
          client.nodes().withName(e.node()).delete();
        }
      } catch (KubernetesClientException ex) {
        log.warn("could not apply {}: {}", e, ex.getMessage());
      }
    }
  }

  /** Registers a Ready GPU node of a pool. */
  public void add(String name, String pool, CapacityType type, String zone) {
    Node node = SimulatedNodes.gpuNode(name, pool, type, zone, gpuModel, gpusPerNode);
    if (isCloudPool(pool)) {
      // no Karpenter or GKE here: the GpuPool declares the capacity type, as on ACK and TKE
      node.getMetadata().getLabels().remove("karpenter.sh/capacity-type");
      cloudPool.label(node.getMetadata().getLabels(), pool);
      node.getSpec().setProviderID(cloudPool.providerId(name, zone));
    } else if (type == CapacityType.Spot) {
      node.getMetadata().getLabels().put(GKE_SPOT_LABEL, "true");
    }
    client.nodes().resource(node).create();
  }

  private boolean isCloudPool(String pool) {
    return cloudPool != CloudPool.NONE && pool.equals(cloudPoolName);
  }

  /** What {@code spotter agent --cloud alibaba|tencent} does on the node when the metadata service names a reclaim time. */
  private void agentMark(TraceDriver.Noticed n) {
    Instant now = Instant.now();
    Instant deadline = now.plus(toReal.apply(Duration.between(n.at(), n.deadline())));
    String mark = cloudPool.annotation(n.node(), deadline, now);
    client.nodes().withName(n.node()).edit(node -> {
      List<Taint> taints = node.getSpec().getTaints() == null ? new ArrayList<>() : new ArrayList<>(node.getSpec().getTaints());
      taints.removeIf(t -> InterruptionMark.KEY.equals(t.getKey()));
      taints.add(new Taint(InterruptionMark.TAINT_EFFECT, InterruptionMark.KEY, null, NoticeKind.SpotInterruption.name()));
      node.getSpec().setTaints(taints);
      Map<String, String> annotations = node.getMetadata().getAnnotations() == null
          ? new LinkedHashMap<>() : new LinkedHashMap<>(node.getMetadata().getAnnotations());
      annotations.put(InterruptionMark.KEY, mark);
      node.getMetadata().setAnnotations(annotations);
      return node;
    });
  }

  private void notice(String name) {
    client.nodes().withName(name).edit(n -> {
      List<Taint> taints = n.getSpec().getTaints() == null ? new ArrayList<>() : new ArrayList<>(n.getSpec().getTaints());
      if (taints.stream().noneMatch(t -> NOTICE_TAINT.equals(t.getKey()))) {
        taints.add(new Taint("NoSchedule", NOTICE_TAINT, null, null));
      }
      n.getSpec().setTaints(taints);
      return n;
    });
  }
}
