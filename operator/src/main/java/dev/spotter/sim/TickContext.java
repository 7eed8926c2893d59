package dev.spotter.sim;

import dev.spotter.policy.DeadlineGuard;

/**
 * What a policy sees of one job at one tick: its progress and instance, and spot availability
 * of the zones up to now. Asking about a later tick is an error: online policies see no future.
 */
public final class TickContext {
  private final TickJob job;
  private final TraceSet traces;
  private final int[] machinesNeeded;
  int tick;
  int progress;
  int overheadLeft;
  int place = Place.IDLE;

  TickContext(TickJob job, TraceSet traces) {
    this.job = job;
    this.traces = traces;
    machinesNeeded = new int[traces.size()];
    for (int z = 0; z < traces.size(); z++) machinesNeeded[z] = job.machinesOn(traces.get(z));
  }

  public TickJob job() {
    return job;
  }

  public TraceSet traces() {
    return traces;
  }

  public int zones() {
    return traces.size();
  }

  public int tick() {
    return tick;
  }

  public int progress() {
    return progress;
  }

  public int overheadLeft() {
    return overheadLeft;
  }

  /** The current instance: {@link Place#IDLE}, {@link Place#ON_DEMAND} or a zone. */
  public int place() {
    return place;
  }

  public int remainingWork() {
    return job.work() - progress;
  }

  public int remainingTicks() {
    return job.deadline() - tick;
  }

  public DeadlineGuard guard() {
    return new DeadlineGuard(remainingTicks(), remainingWork(), overheadLeft, job.restart(), job.maxLoss());
  }

  /** Whether the gang fits on spot in {@code zone} now. */
  public boolean usable(int zone) {
    return traces.get(zone).usable(tick, machinesNeeded[zone]);
  }

  /** Availability at a past or the current tick. */
  public boolean usableAt(int zone, int t) {
    if (t > tick) throw new IllegalStateException("an online policy asked about the future (tick " + t + " > " + tick + ")");
    return traces.get(zone).usable(t, machinesNeeded[zone]);
  }

  public double spotPricePerGpuHour(int zone) {
    Trace tr = traces.get(zone);
    return tr.spotPrice(tick) / tr.gpusPerMachine();
  }

  public double onDemandPricePerGpuHour() {
    return traces.onDemandPricePerGpuHour();
  }

  public String zoneName(int zone) {
    return traces.get(zone).name();
  }

  /** The cheapest zone with spot now, or {@link Place#IDLE} when none has. */
  public int cheapestUsableZone() {
    int best = Place.IDLE;
    for (int z = 0; z < traces.size(); z++) {
      if (usable(z) && (best == Place.IDLE || spotPricePerGpuHour(z) < spotPricePerGpuHour(best))) best = z;
    }
    return best;
  }

  /** Whether any zone has spot now. */
  public boolean anyUsable() {
    return cheapestUsableZone() != Place.IDLE;
  }
}
