package dev.spotter.reconcile;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Http checkpoint trigger: {@code POST http://<podIP>:<port><path>} with
 * {@code {"id": ..., "deadline": ...}} asks for a checkpoint and answers with its report once it
 * is committed; {@code GET} on the same URL answers with the latest committed one (204 when none).
 */
public final class HttpCheckpointClient implements CheckpointClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Clock clock;

  public HttpCheckpointClient(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CompletableFuture<CheckpointReport> request(Pod pod, CheckpointSpec spec, String requestId, Instant deadline) {
    URI uri = uri(pod, spec);
    if (uri == null) {
      return CompletableFuture.failedFuture(new IOException("pod " + pod.getMetadata().getName() + " has no IP yet"));
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return CompletableFuture.failedFuture(new IOException("checkpoint deadline already passed"));
    }
    String body = "{\"id\":\"" + requestId + "\",\"deadline\":\"" + deadline + "\",\"reason\":\"preemption\"}";
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(left)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("worker answered HTTP " + r.statusCode() + ": " + r.body());
      }
      return CheckpointReport.parse(r.body())
          .orElse(new CheckpointReport(requestId, null, clock.instant()));
    });
  }

  @Override
  public CompletableFuture<Optional<CheckpointReport>> latest(Pod pod, CheckpointSpec spec) {
    URI uri = uri(pod, spec);
    if (uri == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? CheckpointReport.parse(r.body()) : Optional.<CheckpointReport>empty())
        .exceptionally(e -> Optional.empty());
  }

  private static URI uri(Pod pod, CheckpointSpec spec) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank() || spec.getPort() == null) {
      return null;
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    String path = spec.getPath() == null ? "/checkpoint" : spec.getPath();
    return URI.create("http://" + host + ":" + spec.getPort() + path);
  }
}
