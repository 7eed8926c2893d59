package dev.spotter.demo;

import java.util.List;

/**
 * The end of a demo run as one JSON object; the field names are a stable interface (documented in
 * docs/demo.md and in {@code spotter demo --help}). Money in USD, time in hours of trace time
 * unless the name says otherwise.
 */
public record DemoSummary(
    int jobs_total,
    int jobs_completed,
    int jobs_lost,
    int jobs_unfinished,
    int inference_replicas,
    int inference_ready,
    int notices,
    int nodes_removed,
    int nodes_added,
    int preemptions,
    int reschedules,
    int checkpoints,
    int resumes,
    double work_lost_gpu_hours,
    double spot_share,
    double spot_target,
    double gpu_hours,
    double spot_gpu_hours,
    double on_demand_gpu_hours,
    double cost,
    double on_demand_cost,
    double savings_pct,
    double simulated_hours,
    double real_seconds,
    String trace,
    String trace_start,
    List<String> zones,
    double speed,
    long seed,
    String metrics_url) {

  public static DemoSummary of(DemoStats s, long seed, String metricsUrl) {
    GpuHourMeter.Totals c = s.cost();
    return new DemoSummary(
        s.trainingTotal(),
        s.completed(),
        s.failed(),
        s.unfinished(),
        s.inferenceReplicas(),
        s.inferenceReady(),
        s.notices(),
        s.nodesRemoved(),
        s.nodesAdded(),
        s.preemptions(),
        s.reschedules(),
        s.checkpoints(),
        s.resumes(),
        round(s.workLostGpuHours()),
        round(c.spotShare()),
        s.spotTarget(),
        round(c.gpuHours()),
        round(c.spotGpuHours()),
        round(c.onDemandGpuHours()),
        round(c.cost()),
        round(c.onDemandCost()),
        round(c.savingsPct()),
        round(s.simElapsed().toMillis() / 3_600_000.0),
        round(s.realElapsed().toMillis() / 1000.0),
        s.trace(),
        s.simStart().toString(),
        s.spotPools().stream().map(TraceDriver.PoolView::zone).toList(),
        s.speed(),
        seed,
        metricsUrl);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
