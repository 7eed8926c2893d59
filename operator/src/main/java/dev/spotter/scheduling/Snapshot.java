package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of the GPU fleet at one moment: pools, their nodes with free GPUs, and the
 * GPUs Spotter's jobs hold on spot and on on-demand. Placement decides on a snapshot only. Nodes
 * keep the order they are given in (the fleet gives them in name order), which breaks ties.
 */
public final class Snapshot {
  private final Map<String, PoolInfo> pools;
  private final Map<String, List<NodeInfo>> nodesByPool;
  private final long spotGpus;
  private final long onDemandGpus;

  public Snapshot(Map<String, PoolInfo> pools, Map<String, List<NodeInfo>> nodesByPool, long spotGpus, long onDemandGpus) {
    this.pools = new LinkedHashMap<>(pools);
    Map<String, List<NodeInfo>> copy = new LinkedHashMap<>();
    nodesByPool.forEach((p, nodes) -> copy.put(p, List.copyOf(nodes)));
    this.nodesByPool = copy;
    this.spotGpus = spotGpus;
    this.onDemandGpus = onDemandGpus;
  }

  public List<PoolInfo> pools() {
    return pools.values().stream().sorted(Comparator.comparing(PoolInfo::name)).toList();
  }

  public PoolInfo pool(String name) {
    return pools.get(name);
  }

  public List<NodeInfo> nodes(String pool) {
    return nodesByPool.getOrDefault(pool, List.of());
  }

  public int freeGpus(String pool) {
    return nodes(pool).stream().mapToInt(NodeInfo::freeGpus).sum();
  }

  /** Allocatable GPUs of the pool's usable nodes, whether free or not. */
  public int usableGpus(String pool) {
    return nodes(pool).stream().filter(NodeInfo::usable).mapToInt(NodeInfo::allocatableGpus).sum();
  }

  public long spotGpus() {
    return spotGpus;
  }

  public long onDemandGpus() {
    return onDemandGpus;
  }

  public long gpus(CapacityType type) {
    return type == CapacityType.Spot ? spotGpus : onDemandGpus;
  }
}
