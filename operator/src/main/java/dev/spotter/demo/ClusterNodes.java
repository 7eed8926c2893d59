package dev.spotter.demo;

import dev.spotter.api.CapacityType;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TraceDriver.NodeEvent}s to the API server the way GKE would: spot nodes labelled
 * {@code cloud.google.com/gke-spot=true}; a preemption notice as the taint
 * {@code cloud.google.com/impending-node-termination:NoSchedule}; then the node object deleted.
 */
public final class ClusterNodes {
  /** The taint GKE puts on a node whose VM is about to be shut down. */
  public static final String NOTICE_TAINT = "cloud.google.com/impending-node-termination";
  public static final String GKE_SPOT_LABEL = "cloud.google.com/gke-spot";

  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

  private final KubernetesClient client;
  private final String gpuModel;
  private final int gpusPerNode;

  public ClusterNodes(KubernetesClient client, String gpuModel, int gpusPerNode) {
    this.client = client;
    this.gpuModel = gpuModel;
    this.gpusPerNode = gpusPerNode;
  }

  public void apply(List<TraceDriver.NodeEvent> events) {
    for (TraceDriver.NodeEvent e : events) {
      try {
        if (e instanceof TraceDriver.Added a) {
          add(a.node(), a.pool(), CapacityType.Spot, a.zone());
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
    if (type == CapacityType.Spot) {
      node.getMetadata().getLabels().put(GKE_SPOT_LABEL, "true");
    }
    client.nodes().resource(node).create();
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
