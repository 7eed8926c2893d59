package dev.spotter.bench;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.reconcile.CheckpointClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Workers that answer checkpoint requests after a fixed write time, without a network: lets the
 * preemption benchmark measure the operator, not 500 HTTP servers. Records when each job was first
 * asked (monotonic nanos).
 */
public final class InMemoryCheckpoints implements CheckpointClient, AutoCloseable {
  private final Duration writeTime;
  private final Clock clock;
  private final Map<String, Long> firstAsked = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "bench-workers");
    t.setDaemon(true);
    return t;
  });

  public InMemoryCheckpoints(Duration writeTime, Clock clock) {
    this.writeTime = writeTime;
    this.clock = clock;
  }

  /** Job name to the time its first rank was asked. */
  public Map<String, Long> firstAsked() {
    return firstAsked;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    firstAsked.putIfAbsent(pod.getMetadata().getLabels().get("spotter.dev/job"), System.nanoTime());
    CompletableFuture<CheckpointReport> f = new CompletableFuture<>();
    timer.schedule(() -> f.complete(new CheckpointReport(requestId + "-ckpt", null, clock.instant())),
        writeTime.toMillis(), TimeUnit.MILLISECONDS);
    return f;
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
