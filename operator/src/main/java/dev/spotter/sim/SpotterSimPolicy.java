package dev.spotter.sim;

import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.Capacity;
import dev.spotter.policy.Decision;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.PoolView;
import dev.spotter.policy.SpotterPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Spotter's own {@link SpotterPolicy} in the simulator, fed exactly as the operator feeds
 * it: one {@link AvailabilityHistory} per pool, updated with each tick's observation before
 * any decision, and the job's situation in durations.
 */
public final class SpotterSimPolicy implements SimPolicy {
  private AvailabilityHistory[] histories;
  private Instant epoch = Instant.EPOCH;
  private SpotterPolicy policy;
  private int observed = -1;

  @Override
  public String name() {
    return "spotter";
  }

  @Override
  public void observe(TraceSet traces, int tick) {
    if (histories == null) {
      histories = new AvailabilityHistory[traces.size()];
      for (int z = 0; z < histories.length; z++) histories[z] = new AvailabilityHistory();
      policy = new SpotterPolicy(Duration.ofSeconds(traces.gapSeconds()));
      if (traces.get(0).start() != null) epoch = traces.get(0).start();
    }
    Instant at = epoch.plusSeconds(traces.gapSeconds() * tick);
    for (int z = 0; z < histories.length; z++) histories[z].observe(at, traces.get(z).usable(tick, 1));
    observed = tick;
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    long g = traces.gapSeconds();
    int window = Math.max(1, job.deadline() - job.arrival());
    double slackShare = Math.max(0, (double) (window - job.work()) / window);
    return ctx -> {
      if (ctx.tick() != observed) throw new IllegalStateException("pools not observed at tick " + ctx.tick());
      List<PoolView> pools = new ArrayList<>(ctx.zones());
      for (int z = 0; z < ctx.zones(); z++) {
        pools.add(new PoolView(traces.get(z).name(), ctx.usable(z) ? PoolView.UNCOUNTED : 0,
            ctx.spotPricePerGpuHour(z), histories[z]));
      }
      Placement current = ctx.place() == Place.IDLE ? Placement.IDLE
          : ctx.place() == Place.ON_DEMAND ? Placement.ON_DEMAND
          : Placement.spot(traces.get(ctx.place()).name());
      JobSituation s = new JobSituation(
          Duration.ofSeconds(g * ctx.remainingWork()),
          Duration.ofSeconds(g * ctx.remainingTicks()),
          slackShare,
          Duration.ofSeconds(g * job.restart()),
          Duration.ofSeconds(g * ctx.overheadLeft()),
          Duration.ofSeconds(g * job.maxLoss()),
          current,
          1);
      Decision d = policy.decide(s, pools, ctx.onDemandPricePerGpuHour());
      return toPlace(d.placement(), traces);
    };
  }

  private static int toPlace(Placement p, TraceSet traces) {
    if (p.capacity() == Capacity.IDLE) return Place.IDLE;
    if (p.capacity() == Capacity.ON_DEMAND) return Place.ON_DEMAND;
    for (int z = 0; z < traces.size(); z++) if (traces.get(z).name().equals(p.pool())) return z;
    throw new IllegalStateException("policy chose unknown pool " + p.pool());
  }
}
