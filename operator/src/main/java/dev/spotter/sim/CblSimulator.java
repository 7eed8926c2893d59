package dev.spotter.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays a workload over a trace set under one policy, tick by tick, in the {@code cbl}
 * model: jobs are independent, every start costs the restart overhead, a spot instance is lost
 * at the start of the first tick its zone is unusable.
 */
public final class CblSimulator {

  public PolicyResult run(List<SimJob> jobs, TraceSet traces, SimPolicy policy) {
    long t0 = System.nanoTime();
    List<TickJob> ticks = CblModel.toTicks(jobs, traces);
    List<Run> pending = new ArrayList<>();
    for (TickJob j : ticks) pending.add(new Run(j, traces));
    pending.sort(Comparator.comparingInt(r -> r.job.arrival()));
    List<Run> active = new ArrayList<>();
    int next = 0;
    int end = traces.ticks();
    for (int t = 0; t < end && (next < pending.size() || !active.isEmpty()); t++) {
      policy.observe(traces, t);
      while (next < pending.size() && pending.get(next).job.arrival() <= t) {
        Run r = pending.get(next++);
        r.decider = policy.forJob(r.job, traces);
        active.add(r);
      }
      for (int i = active.size() - 1; i >= 0; i--) {
        Run r = active.get(i);
        if (r.step(t, traces, policy.name())) active.remove(i);
      }
    }
    List<JobOutcome> out = new ArrayList<>(ticks.size());
    double od = traces.onDemandPricePerGpuHour();
    for (TickJob j : ticks) out.add(find(pending, j).outcome(od, traces.gapSeconds()));
    return new PolicyResult(policy.name(), out, System.nanoTime() - t0);
  }

  private static Run find(List<Run> runs, TickJob j) {
    for (Run r : runs) if (r.job == j) return r;
    throw new IllegalStateException();
  }

  /** The mutable state of one job during a replay. */
  private static final class Run {
    final TickJob job;
    final TickContext ctx;
    SimPolicy.JobPolicy decider;
    double cost;
    long spotTicks;
    long odTicks;
    int preemptions;
    int starts;
    long lostTicks;
    int finishTick = -1;

    Run(TickJob job, TraceSet traces) {
      this.job = job;
      this.ctx = new TickContext(job, traces);
    }

    /** Plays tick t; true once the job is done. */
    boolean step(int t, TraceSet traces, String policy) {
      ctx.tick = t;
      if (Place.isSpot(ctx.place) && !ctx.usable(ctx.place)) {
        preemptions++;
        int kept = job.keptAfterPreemption(ctx.progress);
        lostTicks += ctx.progress - kept;
        ctx.progress = kept;
        ctx.place = Place.IDLE;
        ctx.overheadLeft = 0;
      }
      int a = decider.decide(ctx);
      if (a != Place.IDLE && a != Place.ON_DEMAND && (a < 0 || a >= traces.size() || !ctx.usable(a))) {
        throw new IllegalStateException(policy + " chose " + Place.describe(a, traces) + " for " + job.spec().name()
            + " at tick " + t + " where it cannot run");
      }
      if (a != ctx.place) {
        ctx.place = a;
        ctx.overheadLeft = a == Place.IDLE ? 0 : job.restart();
        if (a != Place.IDLE) {
          if (starts > 0) lostTicks += job.restart();
          starts++;
        }
      }
      if (ctx.place == Place.IDLE) return false;
      if (ctx.place == Place.ON_DEMAND) {
        cost += traces.onDemandPricePerGpuHour() * job.tickCostFactor();
        odTicks++;
      } else {
        cost += ctx.spotPricePerGpuHour(ctx.place) * job.tickCostFactor();
        spotTicks++;
      }
      if (ctx.overheadLeft > 0) {
        ctx.overheadLeft--;
      } else if (++ctx.progress >= job.work()) {
        finishTick = t + 1;
        return true;
      }
      return false;
    }

    JobOutcome outcome(double odPerGpuHour, long gap) {
      double gpuHoursPerTick = gap / 3600.0 * job.spec().gpus();
      boolean missed = finishTick < 0 || finishTick > job.deadline();
      return new JobOutcome(job.spec().name(), cost, (job.work() + job.restart()) * odPerGpuHour * job.tickCostFactor(),
          spotTicks * gpuHoursPerTick, odTicks * gpuHoursPerTick, preemptions, starts,
          lostTicks * gpuHoursPerTick, finishTick, missed);
    }
  }
}
