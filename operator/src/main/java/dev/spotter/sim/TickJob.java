package dev.spotter.sim;

/**
 * A job in the ticks of the {@code cbl} model (see docs/simulator.md).
 *
 * @param arrival first tick the job may run
 * @param deadline the work must be done by the start of this tick
 * @param work ticks of uninterrupted work needed
 * @param restart ticks paid, with no progress, on every start of an instance
 * @param checkpoint progress is saved every {@code checkpoint} ticks of work (0 = never)
 * @param noticeSaves a final checkpoint fits in the notice window, so preemption loses nothing
 * @param tickCostFactor hours per tick x GPUs: multiply by a price per GPU-hour
 */
public record TickJob(
    int index,
    SimJob spec,
    int arrival,
    int deadline,
    int work,
    int restart,
    int checkpoint,
    boolean noticeSaves,
    double tickCostFactor) {

  /** Progress kept when a spot instance is lost at {@code progress}. */
  public int keptAfterPreemption(int progress) {
    if (noticeSaves) return progress;
    if (checkpoint <= 0) return 0;
    return progress - progress % checkpoint;
  }

  /** The most work a preemption can throw away. */
  public int maxLoss() {
    if (noticeSaves) return 0;
    if (checkpoint <= 0) return work;
    return checkpoint - 1;
  }

  /** Spot machines of {@code trace} the gang needs at once. */
  public int machinesOn(Trace trace) {
    return (spec.gpus() + trace.gpusPerMachine() - 1) / trace.gpusPerMachine();
  }

  /** Whether the job can finish in time at all (on-demand from arrival). */
  public boolean feasible() {
    return arrival + restart + work <= deadline;
  }
}
