package dev.spotter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every metric Spotter exports, in one place: names (Prometheus form in the comments), help text
 * and tag keys. Tag values are bounded (pool, capacity type, zone, kind, phase, source, outcome,
 * namespace); a job name is never a tag.
 */
public final class SpotterMetrics {
  // tag keys
  public static final String KIND = "kind";
  public static final String PHASE = "phase";
  public static final String POOL = "pool";
  public static final String CAPACITY_TYPE = "capacity_type";
  public static final String ZONE = "zone";
  /** The accelerator resource of a pool (nvidia.com/gpu, amd.com/gpu, ...): one value per pool at most. */
  public static final String RESOURCE = "resource";
  public static final String SOURCE = "source";
  public static final String NOTICE_KIND = "notice_kind";
  public static final String OUTCOME = "outcome";
  public static final String REASON = "reason";
  public static final String CONTROLLER = "controller";
  public static final String NAMESPACE = "namespace";

  /** spotter_jobs: jobs by kind, phase and namespace. */
  public static final String JOBS = "spotter.jobs";
  /** spotter_gpus_allocated: GPUs held by Spotter's jobs, by pool, capacity type, zone and resource. */
  public static final String GPUS_ALLOCATED = "spotter.gpus.allocated";
  /** spotter_gpus_capacity: allocatable GPUs on usable nodes, by pool, capacity type, zone and resource. */
  public static final String GPUS_CAPACITY = "spotter.gpus.capacity";
  /** spotter_fleet_spot_share: share of allocated GPUs on spot. */
  public static final String SPOT_SHARE = "spotter.fleet.spot.share";
  /** spotter_fleet_spot_target: configured target share. */
  public static final String SPOT_TARGET = "spotter.fleet.spot.target";
  /** spotter_jobs_waiting: jobs waiting for capacity, by reason. */
  public static final String JOBS_WAITING = "spotter.jobs.waiting";
  /** spotter_admissions_total: gangs and replicas admitted, by capacity type. */
  public static final String ADMISSIONS = "spotter.admissions";
  /** spotter_fallbacks_total: placements on on-demand instead of spot, by reason. */
  public static final String FALLBACKS = "spotter.fallbacks";
  /** spotter_preemption_notices_total: notices seen, by source and kind. */
  public static final String NOTICES = "spotter.preemption.notices";
  /** spotter_checkpoints_total: checkpoints by outcome (committed, missed, failed). */
  public static final String CHECKPOINTS = "spotter.checkpoints";
  /** spotter_checkpoint_duration_seconds: request to commit of a checkpoint. */
  public static final String CHECKPOINT_DURATION = "spotter.checkpoint.duration";
  /** spotter_notice_to_checkpoint_request_seconds: notice seen to checkpoint requested. */
  public static final String NOTICE_TO_CHECKPOINT = "spotter.notice.to.checkpoint.request";
  /** spotter_notice_to_reschedule_seconds: notice seen to replacement pods created. */
  public static final String NOTICE_TO_RESCHEDULE = "spotter.notice.to.reschedule";
  /** spotter_reschedules_total: gangs or replicas moved, by reason. */
  public static final String RESCHEDULES = "spotter.reschedules";
  /** spotter_gpu_hours_total: GPU-hours used, by capacity type and pool. */
  public static final String GPU_HOURS = "spotter.gpu.hours";
  /** spotter_cost_dollars_total: dollars spent, by capacity type and pool. */
  public static final String COST = "spotter.cost.dollars";
  /** spotter_on_demand_equivalent_dollars_total: what the same GPU-hours cost on on-demand. */
  public static final String ON_DEMAND_EQUIVALENT = "spotter.on.demand.equivalent.dollars";
  /** spotter_savings_dollars_total: on-demand equivalent minus spend. */
  public static final String SAVINGS = "spotter.savings.dollars";
  /** spotter_lost_gpu_hours_total: GPU-hours of work lost to preemptions. */
  public static final String LOST_GPU_HOURS = "spotter.lost.gpu.hours";
  /** spotter_reconcile_total: reconciliations by controller and outcome (success, error). */
  public static final String RECONCILES = "spotter.reconcile";
  /** spotter_reconcile_duration_seconds: time of one reconciliation, by controller. */
  public static final String RECONCILE_DURATION = "spotter.reconcile.duration";

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gaugeValues = new ConcurrentHashMap<>();

  public SpotterMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Registers a gauge whose value is read on each scrape. */
  public void gauge(String name, String help, Tags tags, Supplier<Number> value) {
    Gauge.builder(name, value).description(help).tags(tags).register(registry);
  }

  /** Sets an integer gauge (registered on first use). */
  public void set(String name, String help, Tags tags, long value) {
    String key = name + tags;
    AtomicLong holder = gaugeValues.computeIfAbsent(key, k -> {
      AtomicLong a = new AtomicLong();
      Gauge.builder(name, a, AtomicLong::get).description(help).tags(tags).register(registry);
      return a;
    });
    holder.set(value);
  }

  public Counter counter(String name, String help, Tags tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  public Timer timer(String name, String help, Tags tags) {
    return Timer.builder(name).description(help).tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  public DistributionSummary summary(String name, String help, Tags tags) {
    return DistributionSummary.builder(name).description(help).tags(tags).register(registry);
  }

  // the meters used from more than one place

  public void admitted(String capacityType) {
    counter(ADMISSIONS, "Gangs and replicas admitted", Tags.of(CAPACITY_TYPE, capacityType)).increment();
  }

  public void fallback(String reason) {
    counter(FALLBACKS, "Placements on on-demand instead of spot", Tags.of(REASON, reason)).increment();
  }

  public void notice(String source, String kind) {
    counter(NOTICES, "Preemption notices seen", Tags.of(SOURCE, source, NOTICE_KIND, kind)).increment();
  }

  public void checkpoint(String outcome) {
    counter(CHECKPOINTS, "Checkpoints by outcome", Tags.of(OUTCOME, outcome)).increment();
  }

  public void reschedule(String reason) {
    counter(RESCHEDULES, "Gangs or replicas moved to new capacity", Tags.of(REASON, reason)).increment();
  }

  /** Runs one reconciliation of {@code controller} and records its count, outcome and time. */
  public <T> T timedReconcile(String controller, java.util.function.Supplier<T> reconcile) {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      T result = reconcile.get();
      ok = true;
      return result;
    } finally {
      reconciled(controller, ok, System.nanoTime() - t0);
    }
  }

  private void reconciled(String controller, boolean ok, long nanos) {
    counter(RECONCILES, "Reconciliations", Tags.of(CONTROLLER, controller, OUTCOME, ok ? "success" : "error")).increment();
    timer(RECONCILE_DURATION, "Time of one reconciliation", Tags.of(CONTROLLER, controller))
        .record(Duration.ofNanos(nanos));
  }
}
