package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: {@code Fleets.empty().pool("spot-a", Spot, "a", 2.0, 8, 8).used("spot-a-0", 4).snapshot()}; pools
 * are NVIDIA H100 unless built with a resource and model.
 */
final class Fleets {
  private final Map<String, PoolInfo> pools = new LinkedHashMap<>();
  private final Map<String, List<NodeInfo>> nodes = new LinkedHashMap<>();
  private long spot;
  private long onDemand;

  static Fleets empty() {
    return new Fleets();
  }

  /** A pool with one node per entry of {@code gpusPerNode}; nodes are named pool-0, pool-1, ... */
  Fleets pool(String name, CapacityType type, String zone, double price, int... gpusPerNode) {
    return pool(name, type, zone, price, null, gpusPerNode);
  }

  Fleets pool(String name, CapacityType type, String zone, double price, Selector namespaces, int... gpusPerNode) {
    return accelerator(name, type, zone, price, namespaces, Accelerators.NVIDIA, "H100", gpusPerNode);
  }

  /** A pool of another accelerator: {@code resource} such as amd.com/gpu, with its model. */
  Fleets pool(String name, CapacityType type, String zone, double price, String resource, String model, int... gpusPerNode) {
    return accelerator(name, type, zone, price, null, resource, model, gpusPerNode);
  }

  private Fleets accelerator(String name, CapacityType type, String zone, double price, Selector namespaces, String resource,
      String model, int... gpusPerNode) {
    pools.put(name, new PoolInfo(name, type, zone, model, resource, price, Map.of("group", name), namespaces, List.of(), false));
    List<NodeInfo> list = new ArrayList<>();
    for (int i = 0; i < gpusPerNode.length; i++) {
      list.add(new NodeInfo(name + "-" + i, name, gpusPerNode[i], 0, true));
    }
    nodes.put(name, list);
    return this;
  }

  Fleets used(String node, int gpus) {
    nodes.values().forEach(list -> list.replaceAll(n -> n.name().equals(node)
        ? new NodeInfo(n.name(), n.pool(), n.allocatableGpus(), n.usedGpus() + gpus, n.usable()) : n));
    return this;
  }

  Fleets unusable(String node) {
    nodes.values().forEach(list -> list.replaceAll(n -> n.name().equals(node)
        ? new NodeInfo(n.name(), n.pool(), n.allocatableGpus(), n.usedGpus(), false) : n));
    return this;
  }

  /** Spotter's current allocation, for the mix. */
  Fleets allocated(long spotGpus, long onDemandGpus) {
    this.spot = spotGpus;
    this.onDemand = onDemandGpus;
    return this;
  }

  Snapshot snapshot() {
    return new Snapshot(pools, nodes, spot, onDemand);
  }
}
