package dev.spotter.demo;

import dev.spotter.api.CapacityType;
import dev.spotter.scheduling.Accelerators;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds GPU nodes as a cloud's node group would register them, for the demo, tests and benchmarks. */
public final class SimulatedNodes {
  private SimulatedNodes() {}

  /**
   * A Ready GPU node labelled the way Karpenter and the NVIDIA GPU feature discovery label them.
   *
   * @param group a node-group label value, so GpuPools can select the node
   */
  public static Node gpuNode(String name, String group, CapacityType type, String zone, String model, int gpus) {
    return gpuNode(name, group, type, zone, Accelerators.NVIDIA, model, gpus);
  }

  /**
   * A Ready accelerator node offering {@code resource}, with the model under that vendor's label
   * (nvidia.com/gpu.product, amd.com/gpu.product-name, or accelerator for Ascend).
   */
  public static Node gpuNode(String name, String group, CapacityType type, String zone, String resource, String model, int gpus) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("topology.kubernetes.io/zone", zone);
    labels.put("karpenter.sh/capacity-type", type == CapacityType.Spot ? "spot" : "on-demand");
    Accelerators.vendor(resource).ifPresent(v -> labels.put(v.modelLabels().get(0), model));
    labels.put("spotter.dev/node-group", group);
    String now = Instant.now().toString();
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID("sim://" + zone + "/" + name).endSpec()
        .withNewStatus()
        .addToAllocatable(resource, new Quantity(Integer.toString(gpus)))
        .addToAllocatable("cpu", new Quantity("96"))
        .addToAllocatable("memory", new Quantity("1024Gi"))
        .addToCapacity(resource, new Quantity(Integer.toString(gpus)))
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .endStatus()
        .build();
  }
}
