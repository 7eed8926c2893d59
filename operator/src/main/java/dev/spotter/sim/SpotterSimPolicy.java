package dev.spotter.sim;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.CapacityType;
import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.Capacity;
import dev.spotter.policy.CostInputs;
import dev.spotter.policy.Decision;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.SpotterPolicy;
import dev.spotter.scheduling.CostAdvisor;
import dev.spotter.scheduling.GangPlacer;
import dev.spotter.scheduling.GangRequest;
import dev.spotter.scheduling.NodeInfo;
import dev.spotter.scheduling.PoolInfo;
import dev.spotter.scheduling.Snapshot;
import dev.spotter.scheduling.SpotMix;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the operator's own decision path in the simulator: each tick the trace set becomes a fleet
 * {@link Snapshot} (one spot pool per zone, one on-demand pool), each job's state becomes a
 * {@link JobSituation} through {@link CostInputs} (as the operator builds it from a TrainingJob),
 * {@link CostAdvisor} asks {@link SpotterPolicy} with each pool's {@link AvailabilityHistory}, and
 * whenever that means starting or moving the job, {@link GangPlacer} places it, exactly as the
 * operator admits a gang. The histories are fed each tick's observation before any decision.
 */
public final class SpotterSimPolicy implements SimPolicy {
  /** Name of the simulated on-demand pool. */
  public static final String ON_DEMAND_POOL = "on-demand";
  private static final String RESOURCE = "nvidia.com/gpu";
  /** Allocatable GPUs of a zone whose trace records availability, not a count. */
  private static final int PLENTY = Integer.MAX_VALUE / 4;

  private final Map<String, AvailabilityHistory> histories = new HashMap<>();
  private Instant epoch = Instant.EPOCH;
  private SpotterPolicy policy;
  private GangPlacer placer;
  private Snapshot snapshot;
  private int observed = -1;
  private long gap;

  @Override
  public String name() {
    return "spotter";
  }

  @Override
  public void observe(TraceSet traces, int tick) {
    if (policy == null) {
      gap = traces.gapSeconds();
      policy = new SpotterPolicy(Duration.ofSeconds(gap));
      if (traces.get(0).start() != null) epoch = traces.get(0).start();
      // the fleet mix and the spot wait do not apply to advised jobs; the margin is unused too
      placer = new GangPlacer(new SpotMix(1.0), Duration.ZERO, Clock.fixed(epoch, ZoneOffset.UTC));
    }
    Instant at = at(tick);
    Map<String, PoolInfo> pools = new LinkedHashMap<>();
    Map<String, List<NodeInfo>> nodes = new LinkedHashMap<>();
    for (int z = 0; z < traces.size(); z++) {
      Trace tr = traces.get(z);
      int machines = tr.usable(tick, 1) ? tr.machines()[tick] : 0;
      int gpus = machines == Trace.UNLIMITED ? PLENTY : (int) Math.min(PLENTY, (long) machines * tr.gpusPerMachine());
      pools.put(tr.name(), pool(tr.name(), CapacityType.Spot, tr.spotPrice(tick) / tr.gpusPerMachine()));
      nodes.put(tr.name(), List.of(new NodeInfo(tr.name() + "-spot", tr.name(), gpus, 0, machines > 0)));
      histories.computeIfAbsent(tr.name(), n -> new AvailabilityHistory()).observe(at, machines > 0);
    }
    pools.put(ON_DEMAND_POOL, pool(ON_DEMAND_POOL, CapacityType.OnDemand, traces.onDemandPricePerGpuHour()));
    nodes.put(ON_DEMAND_POOL, List.of(new NodeInfo(ON_DEMAND_POOL + "-node", ON_DEMAND_POOL, PLENTY, 0, true)));
    snapshot = new Snapshot(pools, nodes, 0, 0);
    observed = tick;
  }

  private static PoolInfo pool(String name, CapacityType type, double pricePerGpuHour) {
    return new PoolInfo(name, type, name, null, RESOURCE, pricePerGpuHour, Map.of(), null, List.of(), false);
  }

  private Instant at(int tick) {
    return epoch.plusSeconds(gap * tick);
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    CostInputs inputs = inputs(job, traces.gapSeconds(), epoch);
    GangRequest request = new GangRequest(job.spec().name(), "simulation", Map.of(), 1, job.spec().gpus(), null, RESOURCE,
        CapacityPolicy.SpotPreferred, at(job.arrival()), Duration.ZERO, inputs.deadline(), null, null);
    return ctx -> {
      if (ctx.tick() != observed) throw new IllegalStateException("pools not observed at tick " + ctx.tick());
      Placement current = current(ctx.place(), traces);
      Decision d = CostAdvisor.advise(snapshot, request, situation(inputs, ctx), histories::get, policy);
      if (d == null) throw new IllegalStateException("the simulated fleet always has spot and on-demand pools");
      if (d.placement().equals(current) || d.placement().capacity() == Capacity.IDLE) {
        // staying put or waiting: the operator places nothing either
        return d.placement().capacity() == Capacity.IDLE ? Place.IDLE : ctx.place();
      }
      var placed = placer.place(snapshot, request.withAdvice(new GangRequest.Advice(d, null)));
      if (!(placed instanceof dev.spotter.scheduling.Decision.Placed p)) return Place.IDLE;
      if (p.capacityType() == CapacityType.OnDemand) return Place.ON_DEMAND;
      return zone(p.pool().name(), traces);
    };
  }

  /**
   * The cost inputs of a simulated job, in the same units the operator uses for a TrainingJob
   * whose expectedDuration, restart overhead, creation time and deadline are these.
   */
  public static CostInputs inputs(TickJob job, long gap, Instant epoch) {
    return new CostInputs(
        Duration.ofSeconds(gap * job.work()),
        Duration.ofSeconds(gap * job.restart()),
        epoch.plusSeconds(gap * job.arrival()),
        epoch.plusSeconds(gap * job.deadline()),
        Duration.ofSeconds(gap * job.maxLoss()));
  }

  /** The job at this tick, as the operator would describe it from its status. */
  JobSituation situation(CostInputs inputs, TickContext ctx) {
    return inputs.situation(Duration.ofSeconds(gap * ctx.progress()), Duration.ofSeconds(gap * ctx.overheadLeft()),
        current(ctx.place(), ctx.traces()), at(ctx.tick()));
  }

  private static Placement current(int place, TraceSet traces) {
    if (place == Place.IDLE) return Placement.IDLE;
    if (place == Place.ON_DEMAND) return Placement.ON_DEMAND;
    return Placement.spot(traces.get(place).name());
  }

  private static int zone(String pool, TraceSet traces) {
    for (int z = 0; z < traces.size(); z++) if (traces.get(z).name().equals(pool)) return z;
    throw new IllegalStateException("placement chose unknown pool " + pool);
  }
}
