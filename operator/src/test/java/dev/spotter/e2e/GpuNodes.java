package dev.spotter.e2e;

import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns the two k3s nodes into a spot and an on-demand GPU pool: fake GPUs in the node status (as
 * a device plugin would advertise them), pool labels, and one declared GpuPool per node. Also puts
 * and lifts the taints that cloud tooling uses to announce a preemption.
 */
final class GpuNodes {
  static final String RESOURCE = "nvidia.com/gpu";
  static final int GPUS_PER_NODE = 4;
  static final String POOL_LABEL = "e2e.spotter.dev/pool";
  static final String SPOT_POOL = "e2e-spot";
  static final String ON_DEMAND_POOL = "e2e-on-demand";
  /** The taint AWS Node Termination Handler puts on a node on a spot interruption notice. */
  static final String NTH_SPOT_ITN = "aws-node-termination-handler/spot-itn";

  private final KubernetesClient admin;

  GpuNodes(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Labels both nodes, gives each fake GPUs and declares the two pools. */
  void setUp() {
    label(K3sCluster.SPOT_NODE, "spot");
    label(K3sCluster.ON_DEMAND_NODE, "on-demand");
    advertiseGpus(K3sCluster.SPOT_NODE, GPUS_PER_NODE);
    advertiseGpus(K3sCluster.ON_DEMAND_NODE, GPUS_PER_NODE);
    // the kubelets report their status every 10 s: the fake GPUs must survive that
    await("fake GPUs kept through kubelet status updates").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(30))
        .until(() -> allocatableGpus(K3sCluster.SPOT_NODE) == GPUS_PER_NODE
            && allocatableGpus(K3sCluster.ON_DEMAND_NODE) == GPUS_PER_NODE);
    // the CRDs came with the chart a moment ago; retry until the API serves GpuPools
    await("GpuPools declared").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
      declarePool(SPOT_POOL, "spot", CapacityType.Spot, 2.0);
      declarePool(ON_DEMAND_POOL, "on-demand", CapacityType.OnDemand, 8.0);
      return true;
    });
  }

  private void label(String node, String pool) {
    admin.nodes().withName(node).edit(n -> {
      n.getMetadata().getLabels().put(POOL_LABEL, pool);
      // the label Karpenter puts on its nodes: the chart keeps the operator off spot nodes by it
      n.getMetadata().getLabels().put("karpenter.sh/capacity-type", pool);
      return n;
    });
  }

  /**
   * Writes {@code count} GPUs into the node's status capacity and allocatable (the status
   * subresource), as the Kubernetes guide "Advertise Extended Resources for a Node" does. The
   * kubelet keeps an extended resource it does not manage, so the scheduler admits pods that
   * request it; no device is behind it, and the workloads never look for one.
   */
  void advertiseGpus(String node, int count) {
    String patch = "{\"status\":{\"capacity\":{\"" + RESOURCE + "\":\"" + count + "\"},\"allocatable\":{\"" + RESOURCE + "\":\""
        + count + "\"}}}";
    admin.nodes().withName(node).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** Allocatable GPUs of the node as the API server has them now. */
  int allocatableGpus(String node) {
    Node n = admin.nodes().withName(node).get();
    Quantity q = n.getStatus().getAllocatable().get(RESOURCE);
    return q == null ? 0 : q.getNumericalAmount().intValue();
  }

  private void declarePool(String name, String labelValue, CapacityType type, double price) {
    GpuPool p = new GpuPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    GpuPoolSpec s = new GpuPoolSpec();
    s.setNodeSelector(Map.of(POOL_LABEL, labelValue));
    s.setCapacityType(type);
    s.setGpuResource(RESOURCE);
    s.setPricePerGpuHour(price);
    p.setSpec(s);
    if (admin.resources(GpuPool.class).withName(name).get() == null) {
      admin.resources(GpuPool.class).resource(p).create();
    }
  }

  /** Puts a NoSchedule taint on the node, as a cloud's termination handler does on a notice. */
  void taint(String node, String key, String value) {
    admin.nodes().withName(node).edit(n -> {
      List<Taint> taints = new java.util.ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
      taints.removeIf(t -> t.getKey().equals(key));
      taints.add(new Taint("NoSchedule", key, null, value));
      n.getSpec().setTaints(taints);
      return n;
    });
  }

  /** Lifts every preemption taint the suite puts, so each test starts from two usable pools. */
  void clearNotices() {
    for (String node : List.of(K3sCluster.SPOT_NODE, K3sCluster.ON_DEMAND_NODE)) {
      Node n = admin.nodes().withName(node).get();
      if (n.getSpec().getTaints() != null && n.getSpec().getTaints().stream().anyMatch(t -> t.getKey().equals(NTH_SPOT_ITN))) {
        admin.nodes().withName(node).edit(x -> {
          x.getSpec().setTaints(x.getSpec().getTaints().stream().filter(t -> !t.getKey().equals(NTH_SPOT_ITN)).toList());
          return x;
        });
      }
    }
  }
}
