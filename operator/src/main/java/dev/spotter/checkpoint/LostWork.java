package dev.spotter.checkpoint;

import java.time.Duration;
import java.time.Instant;

/** GPU-hours of work lost when a gang resumes from an older checkpoint than the moment it stopped. */
public final class LostWork {
  private LostWork() {}

  /**
   * @param since the last committed checkpoint, or the start of the attempt when there is none
   *     newer than the attempt's start
   */
  public static double gpuHours(Instant since, Instant stopped, int gpus) {
    if (since == null || !stopped.isAfter(since)) {
      return 0;
    }
    return Duration.between(since, stopped).toMillis() / 3_600_000.0 * gpus;
  }
}
