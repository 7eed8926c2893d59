package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.List;
import java.util.Map;

/**
 * A GPU pool as placement sees it.
 *
 * @param nodeSelector labels that pin a pod to the pool's nodes
 * @param namespaceSelector which namespaces may use the pool; null means every namespace
 * @param taints taints of the pool's nodes, tolerated by the pods placed there
 */
public record PoolInfo(
    String name,
    CapacityType capacityType,
    String zone,
    String gpuModel,
    String gpuResource,
    double pricePerGpuHour,
    Map<String, String> nodeSelector,
    Selector namespaceSelector,
    List<Taint> taints,
    boolean discovered) {

  /** A node taint: key, value (may be null) and effect. */
  public record Taint(String key, String value, String effect) {}

  public PoolInfo {
    nodeSelector = Map.copyOf(nodeSelector);
    taints = List.copyOf(taints);
  }

  public boolean permits(Map<String, String> namespaceLabels) {
    return namespaceSelector == null || namespaceSelector.matches(namespaceLabels);
  }

  public boolean hasModel(String wanted) {
    return wanted == null || wanted.equalsIgnoreCase(gpuModel);
  }
}
