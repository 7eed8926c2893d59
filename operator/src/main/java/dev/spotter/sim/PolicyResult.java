package dev.spotter.sim;

import java.util.List;

/** The totals of one policy over a workload, as printed by {@code spotter simulate}. */
public record PolicyResult(String policy, List<JobOutcome> jobs, long elapsedNanos) {

  /** Dollars paid, spot and on-demand. */
  public double cost() {
    return jobs.stream().mapToDouble(JobOutcome::cost).sum();
  }

  /** What running every job on on-demand from its arrival (one start each) would cost. */
  public double onDemandCost() {
    return jobs.stream().mapToDouble(JobOutcome::onDemandCost).sum();
  }

  public double savingsPct() {
    double od = onDemandCost();
    return od == 0 ? 0 : 100 * (1 - cost() / od);
  }

  /** Jobs that finished after their deadline or not at all. */
  public int deadlineMisses() {
    return (int) jobs.stream().filter(JobOutcome::missedDeadline).count();
  }

  public int unfinished() {
    return (int) jobs.stream().filter(j -> j.finishTick() < 0).count();
  }

  public int preemptions() {
    return jobs.stream().mapToInt(JobOutcome::preemptions).sum();
  }

  public double lostGpuHours() {
    return jobs.stream().mapToDouble(JobOutcome::lostGpuHours).sum();
  }

  /** Share of paid GPU-hours that ran on spot. */
  public double spotShare() {
    double spot = jobs.stream().mapToDouble(JobOutcome::spotGpuHours).sum();
    double all = spot + jobs.stream().mapToDouble(JobOutcome::onDemandGpuHours).sum();
    return all == 0 ? 0 : spot / all;
  }
}
