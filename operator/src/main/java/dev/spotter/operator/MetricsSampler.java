package dev.spotter.operator;

import dev.spotter.api.CapacityType;
import dev.spotter.fleet.Fleet;
import dev.spotter.fleet.PoolCatalog;
import dev.spotter.metrics.SpotterMetrics;
import dev.spotter.reconcile.JobController;
import dev.spotter.scheduling.PoolInfo;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the fleet and the job caches into metrics every few seconds: jobs by kind, phase and
 * namespace; GPUs by pool; and GPU-hours and dollars integrated over time from what the ledger
 * holds, against what the same GPU-hours would cost on on-demand.
 */
final class MetricsSampler implements Runnable {
  private final Fleet fleet;
  private final SpotterMetrics metrics;
  private final List<JobController> controllers;
  private final Set<String> lastJobKeys = new HashSet<>();
  private long lastNanos;

  MetricsSampler(Fleet fleet, SpotterMetrics metrics, List<JobController> controllers) {
    this.fleet = fleet;
    this.metrics = metrics;
    this.controllers = controllers;
  }

  @Override
  public void run() {
    try {
      sample();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(MetricsSampler.class).debug("metrics sample failed: {}", e.toString());
    }
  }

  private static List<String> phasesOf(String kind) {
    return kind.equals("TrainingJob")
        ? java.util.Arrays.stream(dev.spotter.api.JobPhase.values()).map(Enum::name).toList()
        : List.of("Pending", "Progressing", "Running");
  }

  void sample() {
    // jobs by kind, phase and namespace; jobs waiting by reason
    Map<List<String>, Long> jobs = new HashMap<>();
    Map<String, Long> waiting = new HashMap<>();
    for (JobController c : controllers) {
      c.phases().forEach(j -> {
        // every phase of the kind is exported for each namespace with jobs, zero when none is in it
        for (String phase : phasesOf(c.kind())) {
          jobs.merge(List.of(c.kind(), phase, j.namespace()), 0L, Long::sum);
        }
        jobs.merge(List.of(c.kind(), j.phase(), j.namespace()), 1L, Long::sum);
        if (j.waitingReason() != null) {
          waiting.merge(j.waitingReason(), 1L, Long::sum);
        }
      });
    }
    Set<String> seen = new HashSet<>();
    jobs.forEach((k, n) -> {
      metrics.set(SpotterMetrics.JOBS, "Jobs by kind, phase and namespace",
          Tags.of(SpotterMetrics.KIND, k.get(0), SpotterMetrics.PHASE, k.get(1), SpotterMetrics.NAMESPACE, k.get(2)), n);
      seen.add(String.join("|", k));
    });
    for (String gone : lastJobKeys) {
      if (!seen.contains(gone)) {
        String[] k = gone.split("\\|", 3);
        metrics.set(SpotterMetrics.JOBS, "Jobs by kind, phase and namespace",
            Tags.of(SpotterMetrics.KIND, k[0], SpotterMetrics.PHASE, k[1], SpotterMetrics.NAMESPACE, k[2]), 0);
      }
    }
    lastJobKeys.clear();
    lastJobKeys.addAll(seen);
    for (String reason : List.of("InsufficientCapacity", "PoolNotPermitted", "NoMatchingPool", "InvalidSpec")) {
      metrics.set(SpotterMetrics.JOBS_WAITING, "Jobs waiting, by reason", Tags.of(SpotterMetrics.REASON, reason),
          waiting.getOrDefault(reason, 0L));
    }

    // GPUs by pool; GPU-hours and dollars since the last sample
    PoolCatalog.Catalog catalog = fleet.catalog();
    Map<String, Integer> allocated = fleet.allocatedByPool();
    // GPU-hours accrue in wall-clock time, whatever clock the decisions run on
    long nanos = System.nanoTime();
    double hours = lastNanos == 0 ? 0 : Math.max(0, (nanos - lastNanos) / 3.6e12);
    lastNanos = nanos;
    double onDemandPrice = catalog.pools().values().stream().filter(p -> p.capacityType() == CapacityType.OnDemand)
        .mapToDouble(PoolInfo::pricePerGpuHour).min().orElse(fleet.config().onDemandPricePerGpuHour());
    for (PoolInfo p : catalog.pools().values()) {
      String type = p.capacityType() == CapacityType.Spot ? "spot" : "on_demand";
      Tags tags = Tags.of(SpotterMetrics.POOL, p.name(), SpotterMetrics.CAPACITY_TYPE, type, SpotterMetrics.ZONE,
          p.zone() == null ? "" : p.zone(), SpotterMetrics.RESOURCE, p.gpuResource());
      int held = allocated.getOrDefault(p.name(), 0);
      metrics.set(SpotterMetrics.GPUS_ALLOCATED, "GPUs held by Spotter's jobs", tags, held);
      metrics.set(SpotterMetrics.GPUS_CAPACITY, "Allocatable GPUs on usable nodes", tags,
          catalog.nodesOf(p.name()).stream().filter(PoolCatalog.GpuNode::usable).mapToLong(PoolCatalog.GpuNode::allocatableGpus).sum());
      if (hours > 0 && held > 0) {
        double gpuHours = held * hours;
        Tags t = Tags.of(SpotterMetrics.CAPACITY_TYPE, type, SpotterMetrics.POOL, p.name());
        metrics.counter(SpotterMetrics.GPU_HOURS, "GPU-hours used", t).increment(gpuHours);
        metrics.counter(SpotterMetrics.COST, "Dollars spent", t).increment(gpuHours * p.pricePerGpuHour());
        metrics.counter(SpotterMetrics.ON_DEMAND_EQUIVALENT, "What the same GPU-hours cost on on-demand", Tags.empty())
            .increment(gpuHours * onDemandPrice);
        metrics.counter(SpotterMetrics.SAVINGS, "On-demand equivalent minus spend", Tags.empty())
            .increment(gpuHours * Math.max(0, onDemandPrice - p.pricePerGpuHour()));
      }
    }
  }
}
