package dev.spotter.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the demo shows at one moment: the fleet, the jobs, preemptions and checkpoints, and money.
 * Read from the jobs' status, the operator's metrics, the trace driver, the simulated workloads
 * and the GPU-hour meter.
 *
 * @param realElapsed real time since the jobs were submitted
 * @param spotShareNow share of the GPUs held by Spotter's jobs that are on spot (the operator's gauge)
 */
public record DemoStats(
    Instant simStart,
    Instant simNow,
    Duration simElapsed,
    Duration realElapsed,
    String trace,
    double speed,
    List<TraceDriver.PoolView> spotPools,
    String onDemandPool,
    int onDemandNodes,
    Map<String, Double> prices,
    int trainingTotal,
    int notSubmitted,
    Map<String, Integer> trainingPhases,
    List<JobRow> jobs,
    int inferenceReplicas,
    int inferenceReady,
    int inferenceSpot,
    int inferenceOnDemand,
    int notices,
    int nodesRemoved,
    int nodesAdded,
    int preemptions,
    int reschedules,
    int checkpoints,
    int resumes,
    double workLostGpuHours,
    double spotShareNow,
    double spotTarget,
    GpuHourMeter.Totals cost) {

  /** One training job: phase, where it runs, its attempt and how far its work is. */
  public record JobRow(String name, String phase, String capacity, int attempt, int preemptions, double progress) {}

  public int phase(String phase) {
    return trainingPhases.getOrDefault(phase, 0);
  }

  public int completed() {
    return phase("Succeeded");
  }

  public int failed() {
    return phase("Failed");
  }

  /** Training jobs submitted and neither succeeded nor failed. */
  public int unfinished() {
    return trainingTotal - completed() - failed();
  }
}
