package dev.spotter.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The spot availability one pool has shown so far, fed one observation at a time (the
 * operator from its inventory, the simulator from the trace). It keeps the recent share of
 * time spot was there and the lengths of the last available and unavailable runs, from which
 * it predicts how long the current run will last. Only the past is ever seen.
 */
public final class AvailabilityHistory {
  /** Runs kept per state: enough for the tail, bounded for memory. */
  private static final int MAX_RUNS = 400;
  /** Time constant of the availability share: old behaviour fades over a few days. */
  private static final double DECAY_SECONDS = 4 * 86_400;
  /** Prior: half available, worth a couple of hours of observation. */
  private static final double PRIOR_SHARE = 0.5;
  private static final double PRIOR_SECONDS = 2 * 3600;

  /** Weight half-life of past runs: recent behaviour (choppy or calm) matters most. */
  private static final double RUN_HALF_LIFE_SECONDS = 24 * 3600;

  /** Past runs as {end second, length in seconds}. */
  private final Deque<long[]> upRuns = new ArrayDeque<>();
  private final Deque<long[]> downRuns = new ArrayDeque<>();
  private Instant last;
  private Instant runStart;
  private boolean available;
  private double upSeconds;
  private double downSeconds;
  private long step;

  /** Records the state seen at {@code at}; the time since the previous observation counts for the previous state. */
  public void observe(Instant at, boolean availableNow) {
    if (last != null) {
      long dt = Duration.between(last, at).toSeconds();
      if (dt < 0) throw new IllegalArgumentException("observations must not go back in time");
      if (dt == 0) {
        available = availableNow;
        return;
      }
      step = step == 0 ? dt : Math.min(step, dt);
      double keep = Math.exp(-dt / DECAY_SECONDS);
      upSeconds = upSeconds * keep + (available ? dt : 0);
      downSeconds = downSeconds * keep + (available ? 0 : dt);
      if (availableNow != available) {
        push(available ? upRuns : downRuns, at.getEpochSecond(), Duration.between(runStart, at).toSeconds());
        runStart = at;
      }
    } else {
      runStart = at;
    }
    available = availableNow;
    last = at;
  }

  private static void push(Deque<long[]> runs, long end, long seconds) {
    runs.addLast(new long[] {end, seconds});
    if (runs.size() > MAX_RUNS) runs.removeFirst();
  }

  public boolean availableNow() {
    return last != null && available;
  }

  /** Recent share of time spot was available, with a weak prior of one half. */
  public double share() {
    return (upSeconds + PRIOR_SHARE * PRIOR_SECONDS) / (upSeconds + downSeconds + PRIOR_SECONDS);
  }

  /** How long the current run (available or not) has lasted, counting the current observation. */
  public long currentRunSeconds() {
    if (last == null) return 0;
    return Duration.between(runStart, last).toSeconds() + Math.max(step, 1);
  }

  /** Mean length of past available runs, recent ones weighing most, or {@code fallback} with none. */
  public double meanUpSeconds(double fallback) {
    return mean(upRuns, available ? currentRunSeconds() : 0, fallback);
  }

  public double meanDownSeconds(double fallback) {
    return mean(downRuns, available ? 0 : currentRunSeconds(), fallback);
  }

  /** Geometric mean length of past runs (recent ones weighing most): robust to a few very long runs. */
  public double typicalUpSeconds(double fallback) {
    return geometric(upRuns, fallback);
  }

  public double typicalDownSeconds(double fallback) {
    return geometric(downRuns, fallback);
  }

  private double geometric(Deque<long[]> runs, double fallback) {
    long now = last == null ? 0 : last.getEpochSecond();
    double sum = 0;
    double n = 0;
    for (long[] r : runs) {
      double w = Math.pow(0.5, (now - r[0]) / RUN_HALF_LIFE_SECONDS);
      sum += w * Math.log(Math.max(1, r[1]));
      n += w;
    }
    return n < 1e-9 ? fallback : Math.exp(sum / n);
  }

  /** Expected further seconds of the current available run, given how long it has lasted. */
  public double expectedRemainingUp(double fallback) {
    return remaining(upRuns, available ? currentRunSeconds() : 0, fallback);
  }

  /** Expected further seconds of the current outage, given how long it has lasted. */
  public double expectedRemainingDown(double fallback) {
    return remaining(downRuns, available ? 0 : currentRunSeconds(), fallback);
  }

  /**
   * Time spent in the state per run that ended, the current run counting with its age so far
   * (and as one run, which keeps a pool that never changed from looking like it is about to).
   */
  private double mean(Deque<long[]> runs, long currentAge, double fallback) {
    long now = last == null ? 0 : last.getEpochSecond();
    double sum = currentAge;
    double n = 1;
    for (long[] r : runs) {
      double w = Math.pow(0.5, (now - r[0]) / RUN_HALF_LIFE_SECONDS);
      sum += w * r[1];
      n += w;
    }
    if (runs.isEmpty() && currentAge == 0) return fallback;
    return Math.max(sum / n, runs.isEmpty() ? Math.max(fallback, currentAge) : 0);
  }

  /**
   * Mean residual life from past runs at least as long as {@code age}; the current run counts
   * as one more such run that lasts at least as long again (runs that have lasted tend to last).
   */
  private double remaining(Deque<long[]> runs, long age, double fallback) {
    double sum = age;
    double n = age > 0 ? 1 : 0;
    long now = last == null ? 0 : last.getEpochSecond();
    for (long[] r : runs) {
      if (r[1] >= age) {
        double w = Math.pow(0.5, (now - r[0]) / RUN_HALF_LIFE_SECONDS);
        sum += w * (r[1] - age);
        n += w;
      }
    }
    if (n < 1e-9) return age > 0 ? age : fallback;
    return sum / n;
  }
}
