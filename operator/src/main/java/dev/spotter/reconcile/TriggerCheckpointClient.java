package dev.spotter.reconcile;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.checkpoint.CheckpointReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sends each request the way the job's trigger says: Http to the worker, Exec through the API. */
public final class TriggerCheckpointClient implements CheckpointClient {
  private final CheckpointClient http;
  private final CheckpointClient exec;

  public TriggerCheckpointClient(CheckpointClient http, CheckpointClient exec) {
    this.http = http;
    this.exec = exec;
  }

  private CheckpointClient of(CheckpointSpec spec) {
    return spec.getTrigger() == CheckpointTrigger.Exec ? exec : http;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    return of(spec).request(pod, spec, requestId, deadline);
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    return of(spec).latest(pod, spec);
  }
}
