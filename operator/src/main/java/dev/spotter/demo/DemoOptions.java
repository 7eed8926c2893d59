package dev.spotter.demo;

import java.time.Duration;

/**
 * Everything a demo run is made of. The command line sets the first eight; the last three size the
 * fleet and the notice window and are there for tests.
 *
 * @param trace a bundled trace set name, or a directory or file of trace JSON
 * @param speed simulated seconds per real second
 * @param duration real time the demo runs
 * @param seed draws the stretch of trace replayed and the generated jobs
 * @param jobs generated training jobs on top of the manifests
 * @param metricsPort port of the operator's /metrics (0: a free one, -1: none)
 * @param manifests {@code auto}, {@code bundled}, or a directory or file of job manifests
 * @param stopWhenDone end as soon as every training job has finished
 * @param minNoticeWindow shortest real time between a node's notice and its removal
 * @param spotZones spot pools, one per zone
 * @param nodesPerPool 8-GPU nodes of each pool while it has capacity
 */
public record DemoOptions(
    String trace,
    double speed,
    Duration duration,
    long seed,
    int jobs,
    int metricsPort,
    String manifests,
    boolean stopWhenDone,
    Duration minNoticeWindow,
    int spotZones,
    int nodesPerPool) {

  public static final String DEFAULT_TRACE = "gcp-h100-2025";
  /** One trace hour per real second: about two and a half trace days per minute. */
  public static final double DEFAULT_SPEED = 3600;
  /** GCP's notice window for spot VMs. */
  public static final Duration GCP_NOTICE = Duration.ofSeconds(30);

  public DemoOptions {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed must be a positive number, got " + speed);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
    if (jobs < 0) {
      throw new IllegalArgumentException("--jobs must not be negative, got " + jobs);
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("--metrics-port must be a port, 0 for a free one or -1 for none, got " + metricsPort);
    }
    if (spotZones < 1 || nodesPerPool < 1) {
      throw new IllegalArgumentException("the demo needs at least one spot zone and one node per pool");
    }
  }

  public static DemoOptions defaults() {
    return new DemoOptions(DEFAULT_TRACE, DEFAULT_SPEED, Duration.ofSeconds(60), 7, 8, 0, DemoJobs.AUTO, false,
        Duration.ofMillis(1500), 4, 4);
  }

  /** Simulated time the run covers. */
  public Duration simulatedLength() {
    return Duration.ofMillis((long) (duration.toMillis() * speed));
  }

  /**
   * The notice window in simulated time: GCP's 30 s, stretched so it lasts at least
   * {@link #minNoticeWindow} of real time and the operator has time to act.
   */
  public Duration noticeWindow() {
    Duration stretched = Duration.ofMillis((long) (minNoticeWindow.toMillis() * speed));
    return stretched.compareTo(GCP_NOTICE) > 0 ? stretched : GCP_NOTICE;
  }
}
