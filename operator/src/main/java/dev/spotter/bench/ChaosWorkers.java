package dev.spotter.bench;

import dev.spotter.api.Api;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.demo.SimulatedWorkloads;
import dev.spotter.reconcile.CheckpointClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chaos runs' workers as the operator reaches them through the checkpoint contract: a request
 * makes the job's simulated workload write a checkpoint after {@code writeTime} and answer with
 * its id; the latest periodic checkpoint is reported on demand. Every answer is kept (which
 * request, which checkpoint, when, and the deadline the operator gave), so a run can check that
 * a checkpoint the gang committed in time was the one its next attempt resumed from.
 */
public final class ChaosWorkers implements CheckpointClient, AutoCloseable {
  /** One rank's answer to a checkpoint request. */
  public record Answer(String namespace, String job, String requestId, int rank, String checkpointId, Instant at,
      Instant deadline) {}

  private final SimulatedWorkloads workloads;
  private final Duration writeTime;
  private final Clock clock;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "chaos-workers");
    t.setDaemon(true);
    return t;
  });

  public ChaosWorkers(SimulatedWorkloads workloads, Duration writeTime, Clock clock) {
    this.workloads = workloads;
    this.writeTime = writeTime;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    String ns = pod.getMetadata().getNamespace();
    String job = pod.getMetadata().getLabels().get(Api.LABEL_JOB);
    int rank = Integer.parseInt(pod.getMetadata().getLabels().getOrDefault(Api.LABEL_RANK, "0"));
    CompletableFuture<CheckpointReport> f = new CompletableFuture<>();
    timer.schedule(() -> {
      Optional<SimulatedWorkloads.Checkpoint> c = workloads.checkpointNow(ns, job);
      if (c.isEmpty()) {
        f.completeExceptionally(new IllegalStateException("the gang of " + job + " is not running"));
        return;
      }
      Instant at = clock.instant();
      answers.add(new Answer(ns, job, requestId, rank, c.get().id(), at, deadline));
      f.complete(new CheckpointReport(c.get().id(), c.get().step(), at));
    }, writeTime.toMillis(), TimeUnit.MILLISECONDS);
    return f;
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    List<SimulatedWorkloads.Checkpoint> all =
        workloads.checkpoints(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels().get(Api.LABEL_JOB));
    return CompletableFuture.completedFuture(all.isEmpty() ? Optional.empty()
        : Optional.of(new CheckpointReport(all.get(all.size() - 1).id(), all.get(all.size() - 1).step(), clock.instant())));
  }

  /** Every answer given so far. */
  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** Where a checkpoint stands in its job's history: larger is newer; -1 when the job never wrote it. */
  public long order(String namespace, String job, String checkpointId) {
    List<SimulatedWorkloads.Checkpoint> all = workloads.checkpoints(namespace, job);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id().equals(checkpointId)) {
        return i;
      }
    }
    return -1;
  }

  /** A job's checkpoints as its workload wrote them, oldest first: step and source. */
  String store(String namespace, String job) {
    return workloads.checkpoints(namespace, job).stream().map(c -> c.id().substring(c.id().lastIndexOf('/') + 1) + "@" + c.source())
        .toList().toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
