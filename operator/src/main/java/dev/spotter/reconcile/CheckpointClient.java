package dev.spotter.reconcile;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the operator talks to a worker about checkpoints; HTTP in clusters, fakes in tests. */
public interface CheckpointClient {
  /**
   * Asks one worker to take a checkpoint now; completes with its report once committed, or
   * exceptionally when it refuses, fails or cannot be reached before {@code deadline}.
   */
  CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline);

  /** The worker's latest committed (periodic) checkpoint, when it reports one. */
  CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec);
}
