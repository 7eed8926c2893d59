package dev.spotter.sim;

/**
 * The offline optimum: knows the whole trace and solves each job exactly with
 * {@link OfflineOptimum}, then replays the plan. A lower bound on the cost of any policy
 * for independent jobs; not something an operator can run.
 */
public final class OptimalPolicy implements SimPolicy {
  @Override
  public String name() {
    return "optimal";
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    OfflineOptimum plan = new OfflineOptimum(job, traces);
    return ctx -> plan.decide(ctx.tick(), ctx.progress(), ctx.place(), ctx.overheadLeft());
  }
}
