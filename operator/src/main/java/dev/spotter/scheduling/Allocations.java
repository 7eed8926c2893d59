package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPUs each admitted job (or replica) holds, by node: the scheduler's ledger. It is written
 * at admission, before any pod exists, so two jobs admitted back to back never get the same GPUs,
 * and it is rebuilt from the jobs' recorded placements when the operator starts. Totals by node,
 * pool and capacity type are kept incrementally so a snapshot costs nothing per job.
 */
public final class Allocations {
  /** One job's (or one replica's) holding. */
  public record Holding(String pool, CapacityType capacityType, List<String> nodes, int gpusPerNode) {
    public Holding {
      nodes = List.copyOf(nodes);
    }

    public int gpus() {
      return nodes.size() * gpusPerNode;
    }
  }

  private final Map<String, Holding> byKey = new HashMap<>();
  private final Map<String, Integer> byNode = new HashMap<>();
  private final Map<String, Integer> byPool = new HashMap<>();
  private long spot;
  private long onDemand;

  /** Records (or replaces) what {@code key} holds; returns the previous holding or null. */
  public synchronized Holding put(String key, Holding holding) {
    Holding old = byKey.put(key, holding);
    if (old != null) {
      account(old, -1);
    }
    account(holding, 1);
    return old;
  }

  public synchronized Holding remove(String key) {
    Holding old = byKey.remove(key);
    if (old != null) {
      account(old, -1);
    }
    return old;
  }

  public synchronized Holding get(String key) {
    return byKey.get(key);
  }

  public synchronized Map<String, Integer> gpusByNode() {
    return new HashMap<>(byNode);
  }

  public synchronized int gpusOnNode(String node) {
    return byNode.getOrDefault(node, 0);
  }

  public synchronized Map<String, Integer> gpusByPool() {
    return new HashMap<>(byPool);
  }

  public synchronized long gpus(CapacityType type) {
    return type == CapacityType.Spot ? spot : onDemand;
  }

  /** Keys of the holdings that use {@code node}. */
  public synchronized java.util.List<String> keysOn(String node) {
    return byKey.entrySet().stream().filter(e -> e.getValue().nodes().contains(node)).map(Map.Entry::getKey).toList();
  }

  public synchronized java.util.Set<String> keys() {
    return new java.util.HashSet<>(byKey.keySet());
  }

  public synchronized int size() {
    return byKey.size();
  }

  private void account(Holding h, int sign) {
    for (String n : h.nodes()) {
      byNode.merge(n, sign * h.gpusPerNode(), Integer::sum);
      if (byNode.get(n) == 0) {
        byNode.remove(n);
      }
    }
    byPool.merge(h.pool(), sign * h.gpus(), Integer::sum);
    if (h.capacityType() == CapacityType.Spot) {
      spot += sign * h.gpus();
    } else {
      onDemand += sign * h.gpus();
    }
  }
}
