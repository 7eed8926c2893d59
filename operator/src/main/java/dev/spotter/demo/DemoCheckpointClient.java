package dev.spotter.demo;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.reconcile.CheckpointClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's checkpoint requests, delivered to the demo's simulated workloads instead of over
 * HTTP (the demo's pods have no network): the same contract, answered in process.
 */
final class DemoCheckpointClient implements CheckpointClient {
  private final SimulatedWorkloads workloads;
  private final Clock clock;

  DemoCheckpointClient(SimulatedWorkloads workloads, Clock clock) {
    this.workloads = workloads;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    String job = pod.getMetadata().getLabels().get("spotter.dev/job");
    return workloads.checkpointNow(pod.getMetadata().getNamespace(), job)
        .map(c -> CompletableFuture.completedFuture(new CheckpointReport(c.id(), c.step(), clock.instant())))
        .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("the gang of " + job + " is not running")));
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    List<SimulatedWorkloads.Checkpoint> all =
        workloads.checkpoints(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels().get("spotter.dev/job"));
    return CompletableFuture.completedFuture(all.isEmpty() ? Optional.empty()
        : Optional.of(new CheckpointReport(all.get(all.size() - 1).id(), all.get(all.size() - 1).step(), clock.instant())));
  }
}
