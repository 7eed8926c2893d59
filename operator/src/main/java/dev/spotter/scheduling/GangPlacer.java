package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Gang admission and the spot/on-demand choice for a training job: all workers land on nodes of
 * one pool, or the job waits. Pure: decides on a {@link Snapshot} and a clock, calls nothing.
 */
public final class GangPlacer {
  private final SpotMix mix;
  private final Duration deadlineMargin;
  private final Clock clock;

  /**
   * @param deadlineMargin a deadline job moves to on-demand once its slack drops below this
   */
  public GangPlacer(SpotMix mix, Duration deadlineMargin, Clock clock) {
    this.mix = mix;
    this.deadlineMargin = deadlineMargin;
    this.clock = clock;
  }

  public Decision place(Snapshot snapshot, GangRequest req) {
    Instant now = clock.instant();
    List<PoolInfo> matching =
        snapshot.pools().stream()
            .filter(p -> p.hasModel(req.gpuModel()))
            .filter(p -> resourceMatches(p, req))
            .toList();
    if (matching.isEmpty()) {
      return new Decision.Wait(
          Decision.WaitReason.NoMatchingPool,
          "no GPU pool offers " + describeGpus(req) + "; declare a GpuPool or fix spec.gpuModel/spec.gpuResource",
          null);
    }
    List<PoolInfo> permitted = matching.stream().filter(p -> p.permits(req.namespaceLabels())).toList();
    if (permitted.isEmpty()) {
      return new Decision.Wait(
          Decision.WaitReason.PoolNotPermitted,
          "namespace "
              + req.namespace()
              + " may not use pool(s) "
              + names(matching)
              + ": their namespaceSelector excludes it; ask the platform team to admit the namespace",
          null);
    }
    List<CapacityType> allowed = allowedTypes(req);
    List<PoolInfo> usable = permitted.stream().filter(p -> allowed.contains(p.capacityType())).toList();
    if (usable.isEmpty()) {
      return new Decision.Wait(
          Decision.WaitReason.NoMatchingPool,
          "policy " + req.policy() + " needs " + allowed + " capacity, but the permitted pools " + names(permitted)
              + " are all " + (allowed.contains(CapacityType.Spot) ? "on-demand" : "spot"),
          null);
    }
    Optional<Decision.Placed> spot = best(snapshot, usable, CapacityType.Spot, req);
    Optional<Decision.Placed> onDemand = best(snapshot, usable, CapacityType.OnDemand, req);

    if (allowed.size() == 1) {
      Optional<Decision.Placed> only = allowed.get(0) == CapacityType.Spot ? spot : onDemand;
      String why = req.forced() != null
          ? "kept on " + req.forced() + " after repeated preemptions"
          : "policy " + req.policy() + ": cheapest " + allowed.get(0) + " pool with room";
      return only.isPresent()
          ? withWhy(only.get(), why)
          : insufficient(snapshot, usable, req, req.forced() != null ? "a recent decision keeps it on " + req.forced() : null, null);
    }

    if (req.advice() != null) {
      return advised(snapshot, usable, req, onDemand, spot);
    }

    Instant latestStart = latestStart(req);
    if (latestStart != null && !now.isBefore(latestStart)) {
      String why = "deadline " + req.deadline() + " is close: on-demand first";
      if (onDemand.isPresent()) {
        return withWhy(onDemand.get(), why);
      }
      if (spot.isPresent()) {
        return withWhy(spot.get(), why + ", but only spot has room");
      }
      return insufficient(snapshot, usable, req, why, null);
    }

    if (mix.prefersSpot(snapshot.spotGpus(), snapshot.onDemandGpus(), req.totalGpus())) {
      if (spot.isPresent()) {
        return withWhy(spot.get(), "spot share " + pct(snapshot) + " is at or below the target " + pct(mix.target()));
      }
      Instant fallbackAt = fallbackAt(req, latestStart);
      boolean spotCouldFit = usable.stream().anyMatch(p -> p.capacityType() == CapacityType.Spot && couldEverFit(snapshot, p, req));
      if ((!spotCouldFit || !now.isBefore(fallbackAt)) && onDemand.isPresent()) {
        String why = spotCouldFit
            ? "waited " + Duration.between(req.pendingSince(), now).toSeconds() + "s for spot; falling back to on-demand"
            : "no permitted spot pool can ever hold this gang; using on-demand";
        return withWhy(onDemand.get(), why);
      }
      if (spotCouldFit && !now.isBefore(fallbackAt)) {
        // the spot wait is over but on-demand is full too: nothing to wake up for at a set time
        return insufficient(snapshot, usable, req, "waited for spot until " + fallbackAt + " and on-demand is full as well", null);
      }
      return insufficient(snapshot, usable, req, "waiting for spot", spotCouldFit ? fallbackAt : null);
    }
    if (onDemand.isPresent()) {
      return withWhy(onDemand.get(), "spot share " + pct(snapshot) + " is above the target " + pct(mix.target()));
    }
    if (spot.isPresent()) {
      return withWhy(spot.get(), "no on-demand room; spot has room");
    }
    return insufficient(snapshot, usable, req, null, null);
  }

  /**
   * The pools a request may use now (right accelerator, namespace admitted, capacity type
   * allowed), in name order; empty when it may use none. The cost policy chooses among these.
   */
  public static List<PoolInfo> usablePools(Snapshot snapshot, GangRequest req) {
    List<CapacityType> allowed = allowedTypes(req);
    return snapshot.pools().stream()
        .filter(p -> p.hasModel(req.gpuModel()))
        .filter(p -> resourceMatches(p, req))
        .filter(p -> p.permits(req.namespaceLabels()))
        .filter(p -> allowed.contains(p.capacityType()))
        .toList();
  }

  /** Whether the whole gang fits on {@code pool} now. */
  public static boolean fits(Snapshot snapshot, PoolInfo pool, GangRequest req) {
    return pack(snapshot.nodes(pool.name()), req.workers(), req.gpusPerWorker()) != null;
  }

  /** Follows the cost policy: spot on the pool it names, on-demand, or wait. */
  private Decision advised(Snapshot snapshot, List<PoolInfo> usable, GangRequest req,
      Optional<Decision.Placed> onDemand, Optional<Decision.Placed> spot) {
    dev.spotter.policy.Decision a = req.advice().decision();
    String why = "cost policy: " + a.reason();
    switch (a.placement().capacity()) {
      case SPOT -> {
        List<PoolInfo> named = usable.stream()
            .filter(p -> p.capacityType() == CapacityType.Spot && p.name().equals(a.placement().pool())).toList();
        Optional<Decision.Placed> there = best(snapshot, named, CapacityType.Spot, req);
        if (there.isPresent()) {
          return withWhy(there.get(), why);
        }
        return recheckAt(insufficient(snapshot, usable, req, why + ", but pool " + a.placement().pool() + " has no room now", null),
            req.advice().recheckAt());
      }
      case ON_DEMAND -> {
        if (onDemand.isPresent()) {
          return withWhy(onDemand.get(), why);
        }
        if (spot.isPresent()) {
          return withWhy(spot.get(), why + ", but only spot has room");
        }
        return insufficient(snapshot, usable, req, why + ", but no on-demand pool has room", null);
      }
      default -> {
        return recheckAt(insufficient(snapshot, usable, req, why, null), req.advice().recheckAt());
      }
    }
  }

  private static Decision.Wait recheckAt(Decision.Wait w, Instant at) {
    return new Decision.Wait(w.reason(), w.message(), at);
  }

  private static List<CapacityType> allowedTypes(GangRequest req) {
    return switch (req.policy()) {
      case OnDemandOnly -> List.of(CapacityType.OnDemand);
      case SpotOnly -> List.of(CapacityType.Spot);
      case SpotPreferred -> req.forced() != null ? List.of(req.forced()) : List.of(CapacityType.Spot, CapacityType.OnDemand);
    };
  }

  private Instant latestStart(GangRequest req) {
    if (req.deadline() == null) {
      return null;
    }
    Duration remaining = req.remaining() == null ? Duration.ZERO : req.remaining();
    return req.deadline().minus(remaining).minus(deadlineMargin);
  }

  private static Instant fallbackAt(GangRequest req, Instant latestStart) {
    Instant byWait = req.pendingSince().plus(req.maxSpotWait());
    return latestStart != null && latestStart.isBefore(byWait) ? latestStart : byWait;
  }

  /** The cheapest pool of the type that holds the gang; among equals, the one with most room. */
  private static Optional<Decision.Placed> best(Snapshot s, List<PoolInfo> pools, CapacityType type, GangRequest req) {
    Decision.Placed best = null;
    int bestFree = -1;
    for (PoolInfo p : pools) {
      if (p.capacityType() != type) {
        continue;
      }
      List<String> nodes = pack(s.nodes(p.name()), req.workers(), req.gpusPerWorker());
      if (nodes == null) {
        continue;
      }
      int free = s.freeGpus(p.name());
      boolean better =
          best == null
              || p.pricePerGpuHour() < best.pool().pricePerGpuHour()
              || (p.pricePerGpuHour() == best.pool().pricePerGpuHour() && free > bestFree);
      if (better) {
        best = new Decision.Placed(p, nodes, "");
        bestFree = free;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Best fit: each worker on the usable node with the fewest free GPUs that still holds it. */
  static List<String> pack(List<NodeInfo> nodes, int workers, int gpusPerWorker) {
    List<NodeInfo> usable = nodes.stream().filter(n -> n.freeGpus() >= gpusPerWorker).toList();
    int[] free = usable.stream().mapToInt(NodeInfo::freeGpus).toArray();
    List<String> out = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      int pick = -1;
      for (int i = 0; i < free.length; i++) {
        if (free[i] >= gpusPerWorker && (pick < 0 || free[i] < free[pick])) {
          pick = i;
        }
      }
      if (pick < 0) {
        return null;
      }
      free[pick] -= gpusPerWorker;
      out.add(usable.get(pick).name());
    }
    return out;
  }

  private static boolean couldEverFit(Snapshot s, PoolInfo p, GangRequest req) {
    List<NodeInfo> empty =
        s.nodes(p.name()).stream()
            .filter(NodeInfo::usable)
            .map(n -> new NodeInfo(n.name(), n.pool(), n.allocatableGpus(), 0, true))
            .toList();
    return pack(empty, req.workers(), req.gpusPerWorker()) != null;
  }

  private static boolean resourceMatches(PoolInfo p, GangRequest req) {
    return Accelerators.offers(p, req.gpuResource());
  }

  private static Decision.Placed withWhy(Decision.Placed p, String why) {
    return new Decision.Placed(p.pool(), p.nodes(), why);
  }

  private static Decision.Wait insufficient(Snapshot s, List<PoolInfo> pools, GangRequest req, String prefix, Instant recheckAt) {
    String free =
        pools.stream()
            .map(p -> p.name() + " (" + p.capacityType() + ") " + s.freeGpus(p.name()) + " free")
            .collect(Collectors.joining(", "));
    String msg =
        (prefix == null ? "" : prefix + ": ")
            + "needs "
            + req.workers()
            + " worker(s) x "
            + req.gpusPerWorker()
            + " GPU(s) on one pool; "
            + free
            + (recheckAt == null ? "" : "; falls back to on-demand at " + recheckAt);
    return new Decision.Wait(Decision.WaitReason.InsufficientCapacity, msg, recheckAt);
  }

  private static String describeGpus(GangRequest req) {
    return (req.gpuModel() == null ? "" : req.gpuModel() + " ")
        + req.gpuResource();
  }

  private static String names(List<PoolInfo> pools) {
    return pools.stream().map(PoolInfo::name).collect(Collectors.joining(", "));
  }

  private static String pct(Snapshot s) {
    return pct(SpotMix.share(s.spotGpus(), s.onDemandGpus()));
  }

  private static String pct(double v) {
    return Math.round(v * 100) + "%";
  }
}
