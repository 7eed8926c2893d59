package dev.spotter.sim;

import dev.spotter.policy.DeadlineGuard;

/**
 * Uniform Progress, the policy of "Can't Be Late" (NSDI '24, section 5.2), from its published
 * rules. With expected progress ep(t) = t C(0) / R(0) and current progress cp(t):
 *
 * <ol>
 *   <li>uniform progress: when idle and cp(t) &lt; ep(t), go on-demand to catch up;
 *   <li>taking risks: take spot whenever it is there, and stay on it until it is lost;
 *   <li>hysteresis: once on on-demand, stay until cp(t) &gt;= ep(t + 2d);
 *   <li>safety net: when idle and R(t) &lt; C(t) + 2d, go on-demand until the end.
 * </ol>
 */
public final class UniformProgressPolicy implements SimPolicy {
  @Override
  public String name() {
    return "uniform-progress";
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    double rate = (double) job.work() / Math.max(1, job.deadline() - job.arrival());
    return ctx -> {
      if (Place.isSpot(ctx.place())) return ctx.place();
      DeadlineGuard g = ctx.guard();
      if (!g.canStartSpot()) return Place.ON_DEMAND;
      double elapsed = ctx.tick() - job.arrival();
      int cp = ctx.progress();
      if (ctx.place() == Place.ON_DEMAND && cp < rate * (elapsed + 2.0 * job.restart())) {
        return Place.ON_DEMAND;
      }
      int zone = ctx.cheapestUsableZone();
      if (zone != Place.IDLE) return zone;
      if (cp < rate * elapsed || !g.canIdle()) return Place.ON_DEMAND;
      return Place.IDLE;
    };
  }
}
