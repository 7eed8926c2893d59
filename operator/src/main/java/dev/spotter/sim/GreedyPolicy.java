package dev.spotter.sim;

import dev.spotter.policy.DeadlineGuard;

/**
 * The greedy policy of "Can't Be Late" (NSDI '24, section 3.4): stay on spot until it is lost
 * (exploitation rule), wait when there is none, and move to on-demand for good once waiting
 * longer could miss the deadline (safety net rule: idle and R(t) &lt;= C(t) + 2d, in ticks, plus the work a preemption
 * can lose). With several
 * zones it takes the cheapest zone that has spot.
 */
public final class GreedyPolicy implements SimPolicy {
  @Override
  public String name() {
    return "greedy";
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    return ctx -> {
      if (ctx.place() != Place.IDLE) return ctx.place();
      DeadlineGuard g = ctx.guard();
      if (g.slack() <= 2L * job.restart() + job.maxLoss()) return Place.ON_DEMAND;
      int zone = ctx.cheapestUsableZone();
      if (zone != Place.IDLE) return zone;
      return g.canIdle() ? Place.IDLE : Place.ON_DEMAND;
    };
  }
}
