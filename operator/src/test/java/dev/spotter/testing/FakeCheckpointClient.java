package dev.spotter.testing;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.reconcile.CheckpointClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Workers as the operator sees them through the checkpoint contract, scripted by the test. */
public final class FakeCheckpointClient implements CheckpointClient {
  /** One checkpoint request as a worker received it. */
  public record Received(String pod, String requestId, Instant deadline, long atNanos) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> silentJobs = new ConcurrentHashMap<>();
  private final Map<String, CheckpointReport> periodic = new ConcurrentHashMap<>();

  /** Workers of this job never answer checkpoint requests. */
  public void silence(String job) {
    silentJobs.put(job, true);
  }

  /** Rank 0 of this job reports this periodic checkpoint from now on. */
  public void periodic(String job, CheckpointReport report) {
    periodic.put(job, report);
  }

  public void unsilence(String job) {
    silentJobs.remove(job);
  }

  public List<Received> received() {
    return received;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    received.add(new Received(pod.getMetadata().getName(), requestId, deadline, System.nanoTime()));
    String job = pod.getMetadata().getLabels().get("spotter.dev/job");
    if (silentJobs.containsKey(job)) {
      return new CompletableFuture<>();
    }
    return CompletableFuture.completedFuture(new CheckpointReport("ckpt-" + requestId, 4200L, null));
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    String job = pod.getMetadata().getLabels().get("spotter.dev/job");
    return CompletableFuture.completedFuture(Optional.ofNullable(periodic.get(job)));
  }
}
