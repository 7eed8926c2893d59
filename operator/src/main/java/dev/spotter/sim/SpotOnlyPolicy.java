package dev.spotter.sim;

/** Spot only: stays on its spot instance until it is lost, waits when no zone has spot. */
public final class SpotOnlyPolicy implements SimPolicy {
  @Override
  public String name() {
    return "spot-only";
  }

  @Override
  public JobPolicy forJob(TickJob job, TraceSet traces) {
    return ctx -> Place.isSpot(ctx.place()) ? ctx.place() : ctx.cheapestUsableZone();
  }
}
