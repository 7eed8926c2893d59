package dev.spotter.sim;

/**
 * How one job fared under one policy.
 *
 * @param finishTick tick at whose start the work was done, or -1 if it never finished
 * @param lostGpuHours GPU-hours paid for without lasting progress because of interruptions:
 *     work rolled back at preemptions plus the restart overhead of every start after the first
 */
public record JobOutcome(
    String name,
    double cost,
    double onDemandCost,
    double spotGpuHours,
    double onDemandGpuHours,
    int preemptions,
    int starts,
    double lostGpuHours,
    int finishTick,
    boolean missedDeadline) {}
