package dev.spotter.reconcile;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Exec checkpoint trigger: runs {@code spec.checkpoint.command} in the worker container
 * (pods/exec); exit code 0 means committed, and the command's stdout is the checkpoint report.
 */
public final class ExecCheckpointClient implements CheckpointClient {
  private final KubernetesClient client;
  private final Clock clock;

  public ExecCheckpointClient(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return CompletableFuture.failedFuture(new IllegalStateException("checkpoint deadline already passed"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExecWatch watch;
    try {
      watch = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .inContainer(pod.getSpec().getContainers().get(0).getName())
          .writingOutput(out).writingError(err)
          .exec(spec.getCommand().toArray(String[]::new));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ExecWatch w = watch;
    return w.exitCode().orTimeout(left.toMillis(), TimeUnit.MILLISECONDS).whenComplete((code, e) -> w.close()).thenApply(code -> {
      String stdout = out.toString(StandardCharsets.UTF_8).trim();
      var report = CheckpointReport.parse(stdout);
      // no exit status (the stream closed first) counts only when the command printed a report
      if (code == null && report.isPresent()) {
        return report.get();
      }
      if (code == null || code != 0) {
        throw new IllegalStateException("checkpoint command exited with " + (code == null ? "no status" : code) + ": "
            + err.toString(StandardCharsets.UTF_8).trim());
      }
      return report.orElse(new CheckpointReport(requestId, null, clock.instant()));
    });
  }

  /** Exec workloads report periodic checkpoints only through the notice path. */
  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
