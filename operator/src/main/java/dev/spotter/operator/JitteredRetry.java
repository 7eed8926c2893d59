package dev.spotter.operator;

import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a failed reconcile forever, with exponential backoff capped at {@code max} and full
 * jitter, so API faults (409, 5xx, timeouts) never leave a job stranded and a storm of failures
 * does not retry in lockstep.
 */
final class JitteredRetry implements Retry {
  private final Duration initial;
  private final Duration max;

  JitteredRetry(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  @Override
  public RetryExecution initExecution() {
    return new RetryExecution() {
      private int attempts;

      @Override
      public Optional<Long> nextDelay() {
        attempts++;
        long cap = Math.min(max.toMillis(), initial.toMillis() << Math.min(20, attempts - 1));
        return Optional.of(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
      }

      @Override
      public int getAttemptCount() {
        return attempts;
      }

      @Override
      public boolean isLastAttempt() {
        return false;
      }
    };
  }
}
