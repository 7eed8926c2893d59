package dev.spotter.sim;

/** A policy the simulator can replay: it hands out one decision maker per job. */
public interface SimPolicy {
  String name();

  /** Called once per tick, before any job decides, with the availability of that tick. */
  default void observe(TraceSet traces, int tick) {}

  JobPolicy forJob(TickJob job, TraceSet traces);

  /** Decides, each tick, where one job runs. */
  @FunctionalInterface
  interface JobPolicy {
    /** {@link Place#IDLE}, {@link Place#ON_DEMAND} or a zone whose spot is usable now. */
    int decide(TickContext ctx);
  }
}
