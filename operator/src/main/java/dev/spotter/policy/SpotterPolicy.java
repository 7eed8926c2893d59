package dev.spotter.policy;

import java.time.Duration;
import java.util.List;

/**
 * Spotter's spot/on-demand policy: a pure function of one job's situation, the spot pools as
 * observed so far and the prices. The operator calls it at each reconcile, the simulator at
 * each tick; both feed each pool's {@link AvailabilityHistory} and nothing from the future.
 *
 * <p>The idea (docs/simulator.md has the long form): slack, the time to the deadline beyond
 * the work left, is what waiting for spot spends. From the pools' history the policy projects
 * how much slack the rest of the job will need if it runs on spot whenever spot is there
 * (outages and restarts); what is left over is its budget. It waits out an outage only when
 * the budget covers the outage's expected remaining length (outages that have lasted tend to
 * last); otherwise it works on on-demand meanwhile. It leaves on-demand for spot only when the
 * spot run it can expect, given how long the run has already lasted, pays back both restarts.
 * Safety comes first: a move is only made if, after the worst preemption, on-demand still
 * finishes in time ({@link DeadlineGuard}), so no deadline that could be met is missed.
 */
public final class SpotterPolicy {
  private final long stepSeconds;

  /** @param step how often the policy is asked (the simulator's tick, the operator's period) */
  public SpotterPolicy(Duration step) {
    if (step.isZero() || step.isNegative()) throw new IllegalArgumentException("step must be positive");
    this.stepSeconds = step.toSeconds();
  }

  public Decision decide(JobSituation job, List<PoolView> pools, double onDemandPricePerGpuHour) {
    long work = ceilSteps(job.remainingWork());
    if (work <= 0) return new Decision(Placement.IDLE, "done");
    long left = job.timeLeft() == null ? Long.MAX_VALUE / 4 : job.timeLeft().toSeconds() / stepSeconds;
    long restart = ceilSteps(job.restartOverhead());
    DeadlineGuard guard = new DeadlineGuard(
        left, work, ceilSteps(job.overheadLeft()), restart, ceilSteps(job.maxLoss()));
    if (pools.size() == 1) return onePool(job, pools.get(0), onDemandPricePerGpuHour, guard, work, restart);
    Estimates est = Estimates.of(pools, job.machinesNeeded(), stepSeconds, restart, work);
    double od = onDemandPricePerGpuHour;
    // slack kept for later: what the pools' history says the rest will need, but never more
    // than the share a uniform pace would keep (when spot is scarce, pace instead of hoping)
    double pace = job.timeLeft() == null ? 0 : job.pacedSlackShare() * left;
    double reserve = Math.min(est.slackNeeded(work, restart), pace);
    double budget = guard.slack() - reserve;
    Placement current = job.current();
    PoolView here = current.isSpot() ? find(pools, current.pool()) : null;
    int best = est.bestUsable();

    if (here != null && here.fits(job.machinesNeeded())) {
      if (best >= 0 && !pools.get(best).name().equals(here.name()) && guard.canStartSpot() && budget - restart >= 0) {
        double run = Math.min(est.remainingUp(best), work);
        double gain = (here.spotPricePerGpuHour() - pools.get(best).spotPricePerGpuHour()) * run
            - pools.get(best).spotPricePerGpuHour() * restart - here.spotPricePerGpuHour() * restart;
        if (gain > 0) return new Decision(Placement.spot(pools.get(best).name()), "cheaper pool has spot");
      }
      return new Decision(current, "stay on spot until it is lost");
    }
    if (best >= 0) {
      PoolView p = pools.get(best);
      if (!guard.canStartSpot()) return onDemand(guard, "deadline: no slack left for another spot restart");
      if (current.capacity() == Capacity.ON_DEMAND) {
        if (budget - 2.0 * restart < 0) return new Decision(Placement.ON_DEMAND, "behind pace: catch up on on-demand");
        double run = Math.min(est.remainingUp(best), work);
        double back = run < work ? od * restart : 0;
        double slackPrice = budget - restart >= 0 ? 0 : od - p.spotPricePerGpuHour();
        double gain = (od - p.spotPricePerGpuHour()) * run - p.spotPricePerGpuHour() * restart - back
            - slackPrice * restart;
        if (gain <= 0) return new Decision(Placement.ON_DEMAND, "spot run too short to pay two restarts");
      }
      return new Decision(Placement.spot(p.name()), "spot available");
    }
    if (guard.canIdle()) {
      double margin = current.capacity() == Capacity.ON_DEMAND ? 2.0 * restart : 0;
      if (budget - 1 - margin >= 0) return new Decision(Placement.IDLE, "slack to spare: wait for spot");
    }
    return onDemand(guard, "outage longer than the slack can cover");
  }

  /** Largest slack the planner distinguishes; more than this is treated as this much. */
  private static final int MAX_PLANNED_SLACK = 512;

  private Decision onePool(JobSituation job, PoolView pool, double od, DeadlineGuard guard, long work, long restart) {
    AvailabilityHistory h = pool.history();
    double up = h.meanUpSeconds(6.0 * stepSeconds) / stepSeconds;
    double down = h.meanDownSeconds(6.0 * stepSeconds) / stepSeconds;
    up = Math.max(1, up);
    down = Math.max(1, down);
    boolean available = pool.fits(job.machinesNeeded());
    Placement current = job.current();
    int kind = current.isSpot() ? MarkovPlanner.SPOT
        : current.capacity() == Capacity.ON_DEMAND ? MarkovPlanner.ON_DEMAND : MarkovPlanner.IDLE;
    if (guard.slack() > MAX_PLANNED_SLACK) {
      // far more slack than the planner's horizon: waiting costs nothing that matters yet
      if (current.isSpot() && available) return new Decision(current, "plenty of slack: stay on spot");
      if (available && guard.canStartSpot()) return new Decision(Placement.spot(pool.name()), "plenty of slack: spot");
      if (current.capacity() == Capacity.ON_DEMAND && guard.overheadLeft() > 0) {
        return new Decision(current, "plenty of slack: finish the on-demand restart");
      }
      return new Decision(Placement.IDLE, "plenty of slack: wait for spot");
    }
    long slack = Math.max(0, guard.slack());
    MarkovPlanner.Table table = MarkovPlanner.table((int) Math.min(work, 4096), (int) slack, (int) restart,
        (int) ((guard.maxLoss() + 1) / 2), Math.min(1, pool.spotPricePerGpuHour() / od), 1 / up, 1 / down);
    double[] m = table.moves((int) work, (int) slack, kind, (int) guard.overheadLeft(), available);
    boolean spotOk = available && (kind == MarkovPlanner.SPOT ? guard.canContinueSpot() : guard.canStartSpot());
    // Leaving on-demand for a spot run that has only just begun is the costly mistake in choppy
    // pools: run lengths are heavy-tailed (most end within a step or two, a few last days), which
    // the planner's memoryless model cannot see. So the run must first outlast one restart.
    if (kind == MarkovPlanner.ON_DEMAND && h.currentRunSeconds() <= restart * stepSeconds) spotOk = false;
    boolean idleOk = guard.canIdle();
    if (spotOk && m[2] <= m[1] && (m[2] <= m[0] || !idleOk)) {
      return new Decision(Placement.spot(pool.name()), "spot: lowest expected cost");
    }
    if (idleOk && m[0] < m[1]) return new Decision(Placement.IDLE, "waiting for spot: lowest expected cost");
    return onDemand(guard, available ? "on-demand: spot run not worth its restarts" : "on-demand: the outage would cost more slack than it is worth");
  }

  private static Decision onDemand(DeadlineGuard guard, String reason) {
    return new Decision(Placement.ON_DEMAND, guard.lost() ? "deadline can no longer be met" : reason);
  }

  private long ceilSteps(Duration d) {
    return (d.toSeconds() + stepSeconds - 1) / stepSeconds;
  }

  private static PoolView find(List<PoolView> pools, String name) {
    for (PoolView p : pools) if (p.name().equals(name)) return p;
    return null;
  }
}
