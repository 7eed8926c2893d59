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
    CapacityType forced) {

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
