package dev.spotter.reconcile;

import dev.spotter.checkpoint.CheckpointReport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoint requests and polls in flight, so a reconcile never blocks on a worker: it starts the
 * calls, returns, and is woken when they complete. Lost on restart by design: the recorded
 * {@code status.rescue} makes the next operator ask again (workers treat a repeated request id as
 * the same checkpoint).
 */
final class CheckpointCalls {
  private final Map<String, Map<Integer, CompletableFuture<CheckpointReport>>> requests = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<CheckpointReport>>> polls = new ConcurrentHashMap<>();
  private final Map<String, Long> lastPoll = new ConcurrentHashMap<>();
  /** Request ids already sent by this process: the fast path and the reconcile race to send them. */
  private final java.util.Set<String> claimed = ConcurrentHashMap.newKeySet();

  /** True for exactly one caller per request id: that caller sends the requests. */
  boolean claim(String requestId) {
    return claimed.add(requestId);
  }

  /** Per-rank calls of one request id; empty when none was started by this process. */
  Map<Integer, CompletableFuture<CheckpointReport>> requests(String requestId) {
    return requests.computeIfAbsent(requestId, k -> new ConcurrentHashMap<>());
  }

  boolean started(String requestId) {
    return requests.containsKey(requestId) && !requests.get(requestId).isEmpty();
  }

  void forget(String requestId) {
    if (requestId != null) {
      requests.remove(requestId);
    }
  }

  CompletableFuture<Optional<CheckpointReport>> poll(String jobKey) {
    return polls.get(jobKey);
  }

  void polling(String jobKey, CompletableFuture<Optional<CheckpointReport>> f, long nowMillis) {
    polls.put(jobKey, f);
    lastPoll.put(jobKey, nowMillis);
  }

  long lastPollMillis(String jobKey) {
    return lastPoll.getOrDefault(jobKey, 0L);
  }

  /** The finished poll was read; keep only when it ran, for the interval. */
  void forgetJobPoll(String jobKey) {
    polls.remove(jobKey);
  }

  void forgetJob(String jobKey) {
    String name = jobKey.substring(jobKey.lastIndexOf('/') + 1);
    claimed.removeIf(id -> id.startsWith(name + "-a"));
    polls.remove(jobKey);
    lastPoll.remove(jobKey);
  }
}
