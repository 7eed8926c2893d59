package dev.spotter.sim;

/** Everything on on-demand: the reference cost. */
public final class OnDemandPolicy implements SimPolicy {
  @Override
  public String name() {
    return "on-demand";
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    return ctx -> Place.ON_DEMAND;
  }
}
