package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Places inference replicas one by one: the on-demand base first, then floor((N - base) x
 * spotPercent / 100) of the rest on spot spread over zones, the remainder on on-demand. A replica
 * that cannot get its capacity type takes the other one rather than not serve. Pure.
 */
public final class ReplicaPlanner {

  /** What the replicas need; {@code gpuResource} is resolved with {@link Accelerators#resolve}. */
  public record Request(
      String job, String namespace, Map<String, String> namespaceLabels, int gpusPerReplica, String gpuModel, String gpuResource) {
    public Request {
      namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
      java.util.Objects.requireNonNull(gpuResource, "gpuResource: resolve the job's resource against the operator default first");
    }
  }

  /** A replica that already has a placement. */
  public record Existing(int index, CapacityType capacityType, String zone) {}

  /** The decision for one replica index. */
  public record ReplicaDecision(int index, Decision decision) {}

  /** Spot replicas out of {@code replicas}: floor((replicas - base) x percent / 100). */
  public static int spotReplicas(int replicas, int onDemandBase, int spotPercent) {
    int base = Math.min(Math.max(onDemandBase, 0), replicas);
    return (replicas - base) * spotPercent / 100;
  }

  /** Decides the capacity and node of each replica index in {@code missing}. */
  public List<ReplicaDecision> plan(
      Snapshot snapshot, Request req, int replicas, int onDemandBase, int spotPercent, List<Existing> existing, List<Integer> missing) {
    List<PoolInfo> matching =
        snapshot.pools().stream()
            .filter(p -> p.hasModel(req.gpuModel()))
            .filter(p -> Accelerators.offers(p, req.gpuResource()))
            .toList();
    List<PoolInfo> permitted = matching.stream().filter(p -> p.permits(req.namespaceLabels())).toList();
    List<ReplicaDecision> out = new ArrayList<>();
    if (permitted.isEmpty()) {
      Decision.Wait wait =
          matching.isEmpty()
              ? new Decision.Wait(Decision.WaitReason.NoMatchingPool, "no GPU pool offers " + (req.gpuModel() == null ? "" : req.gpuModel() + " ") + req.gpuResource() + "; declare a GpuPool or fix spec.gpuModel/spec.gpuResource", null)
              : new Decision.Wait(
                  Decision.WaitReason.PoolNotPermitted,
                  "namespace " + req.namespace() + " may not use pool(s) "
                      + matching.stream().map(PoolInfo::name).collect(Collectors.joining(", "))
                      + ": their namespaceSelector excludes it",
                  null);
      missing.forEach(i -> out.add(new ReplicaDecision(i, wait)));
      return out;
    }
    Map<String, Integer> free = new HashMap<>();
    for (PoolInfo p : permitted) {
      snapshot.nodes(p.name()).forEach(n -> free.put(n.name(), n.freeGpus()));
    }
    int spotWanted = spotReplicas(replicas, onDemandBase, spotPercent);
    int spotHave = (int) existing.stream().filter(e -> e.capacityType() == CapacityType.Spot).count();
    int onDemandHave = existing.size() - spotHave;
    int base = Math.min(Math.max(onDemandBase, 0), replicas);
    Map<String, Integer> perZone = new HashMap<>();
    existing.stream().filter(e -> e.zone() != null).forEach(e -> perZone.merge(e.zone(), 1, Integer::sum));

    for (int index : missing) {
      // the base first (lowest indices, so scaling down keeps it), then spot up to its share
      CapacityType wanted = onDemandHave >= base && spotHave < spotWanted ? CapacityType.Spot : CapacityType.OnDemand;
      Decision.Placed placed = pick(snapshot, permitted, wanted, req, free, perZone);
      String why = wanted == CapacityType.Spot ? "spot replica " + (spotHave + 1) + " of " + spotWanted : "on-demand replica";
      if (placed == null) {
        CapacityType other = wanted == CapacityType.Spot ? CapacityType.OnDemand : CapacityType.Spot;
        placed = pick(snapshot, permitted, other, req, free, perZone);
        why = "no " + wanted + " room; " + other + " keeps the replica serving";
      }
      if (placed == null) {
        out.add(new ReplicaDecision(index, new Decision.Wait(
            Decision.WaitReason.InsufficientCapacity,
            "no permitted pool has a node with " + req.gpusPerReplica() + " free GPU(s) for a replica",
            null)));
        continue;
      }
      String node = placed.nodes().get(0);
      free.merge(node, -req.gpusPerReplica(), Integer::sum);
      if (placed.pool().zone() != null) {
        perZone.merge(placed.pool().zone(), 1, Integer::sum);
      }
      if (placed.capacityType() == CapacityType.Spot) {
        spotHave++;
      } else {
        onDemandHave++;
      }
      out.add(new ReplicaDecision(index, new Decision.Placed(placed.pool(), placed.nodes(), why)));
    }
    return out;
  }

  /** The zone with fewest replicas of this job, then the cheapest pool, then the most free GPUs. */
  private static Decision.Placed pick(
      Snapshot s, List<PoolInfo> pools, CapacityType type, Request req, Map<String, Integer> free, Map<String, Integer> perZone) {
    PoolInfo bestPool = null;
    String bestNode = null;
    int bestFreeInPool = -1;
    for (PoolInfo p : pools) {
      if (p.capacityType() != type) {
        continue;
      }
      String node = null;
      int poolFree = 0;
      int nodeFree = Integer.MAX_VALUE;
      for (NodeInfo n : s.nodes(p.name())) {
        int f = free.getOrDefault(n.name(), 0);
        poolFree += Math.max(f, 0);
        if (f >= req.gpusPerReplica() && f < nodeFree) {
          node = n.name();
          nodeFree = f;
        }
      }
      if (node == null) {
        continue;
      }
      if (bestPool == null || better(p, poolFree, bestPool, bestFreeInPool, perZone, type)) {
        bestPool = p;
        bestNode = node;
        bestFreeInPool = poolFree;
      }
    }
    return bestPool == null ? null : new Decision.Placed(bestPool, List.of(bestNode), "");
  }

  private static boolean better(PoolInfo p, int free, PoolInfo best, int bestFree, Map<String, Integer> perZone, CapacityType type) {
    if (type == CapacityType.Spot) {
      int z = perZone.getOrDefault(p.zone(), 0);
      int bz = perZone.getOrDefault(best.zone(), 0);
      if (z != bz) {
        return z < bz;
      }
    }
    if (p.pricePerGpuHour() != best.pricePerGpuHour()) {
      return p.pricePerGpuHour() < best.pricePerGpuHour();
    }
    return free > bestFree;
  }
}
