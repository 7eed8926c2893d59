package dev.spotter.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: replays through Spotter's simulator policy and records every decision with the
 * job's state when it was made, so a test can ask another caller of the decision code for the
 * same decisions.
 */
public final class RecordingPolicy implements SimPolicy {
  /** One decision: the tick, the job's progress and restart still owed, where it ran, where it goes. */
  public record Step(int tick, int progress, int overheadLeft, int place, int decision) {}

  private final SpotterSimPolicy inner = new SpotterSimPolicy();
  private final List<Step> steps = new ArrayList<>();

  /** Loads a bundled trace set, or one zone of it ("all" for every zone). */
  public static TraceSet bundled(String name, String zone) {
    TraceSet all = new TraceLoader(TraceFormat.PREEMPTED).loadBundled(name);
    for (int i = 0; i < all.size(); i++) if (all.get(i).name().equals(zone)) return all.only(i);
    return all;
  }

  public List<Step> steps() {
    return steps;
  }

  @Override
  public String name() {
    return "spotter";
  }

  @Override
  public void observe(TraceSet t, int tick) {
    inner.observe(t, tick);
  }

  @Override
  public JobPolicy forJob(TickJob j, TraceSet t) {
    JobPolicy p = inner.forJob(j, t);
    return ctx -> {
      int d = p.decide(ctx);
      steps.add(new Step(ctx.tick(), ctx.progress(), ctx.overheadLeft(), ctx.place(), d));
      return d;
    };
  }
}
