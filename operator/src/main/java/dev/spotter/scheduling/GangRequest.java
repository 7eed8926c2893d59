package dev.spotter.scheduling;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.CapacityType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A request to place a whole gang: every worker on one node of one pool, or nothing.
 *
 * @param pendingSince when the job started waiting, for the spot wait
 * @param maxSpotWait how long a SpotPreferred job waits for spot before it takes on-demand
 * @param deadline when the job must be done, or null
 * @param remaining how long the job still needs to run, or null when unknown
 * @param gpuResource the accelerator resource, already resolved with {@link Accelerators#resolve}:
 *     the gang only goes to pools offering exactly this resource
 * @param forced a capacity type imposed by an earlier decision (for example on-demand after
 *     repeated preemptions), or null
 * @param advice the cost policy's choice for a SpotPreferred job with a deadline and an expected
 *     duration, or null: it replaces the fleet mix and the spot wait for this job
 */
public record GangRequest(
    String job,
    String namespace,
    Map<String, String> namespaceLabels,
    int workers,
    int gpusPerWorker,
    String gpuModel,
    String gpuResource,
    CapacityPolicy policy,
    Instant pendingSince,
    Duration maxSpotWait,
    Instant deadline,
    Duration remaining,
    CapacityType forced,
    Advice advice) {

  /**
   * The cost policy's choice and when to ask it again.
   *
   * @param recheckAt when a job told to wait should ask again even if nothing changes
   */
  public record Advice(dev.spotter.policy.Decision decision, Instant recheckAt) {
    public Advice {
      java.util.Objects.requireNonNull(decision, "decision");
    }
  }

  /** A request without cost advice. */
  public GangRequest(String job, String namespace, Map<String, String> namespaceLabels, int workers, int gpusPerWorker,
      String gpuModel, String gpuResource, CapacityPolicy policy, Instant pendingSince, Duration maxSpotWait,
      Instant deadline, Duration remaining, CapacityType forced) {
    this(job, namespace, namespaceLabels, workers, gpusPerWorker, gpuModel, gpuResource, policy, pendingSince, maxSpotWait,
        deadline, remaining, forced, null);
  }

  public GangRequest withAdvice(Advice a) {
    return new GangRequest(job, namespace, namespaceLabels, workers, gpusPerWorker, gpuModel, gpuResource, policy,
        pendingSince, maxSpotWait, deadline, remaining, forced, a);
  }

  public GangRequest {
    namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
    java.util.Objects.requireNonNull(gpuResource, "gpuResource: resolve the job's resource against the operator default first");
    if (workers < 1 || gpusPerWorker < 1) {
      throw new IllegalArgumentException("a gang needs at least one worker with at least one GPU");
    }
  }

  public int totalGpus() {
    return workers * gpusPerWorker;
  }
}
