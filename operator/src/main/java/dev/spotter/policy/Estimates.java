package dev.spotter.policy;

import java.util.List;

/** The pools' history turned into the few numbers a decision needs, in decision steps. */
final class Estimates {
  /** Expected run length assumed for a pool with no history, in steps. */
  private static final double UNKNOWN_RUN_STEPS = 6;

  private final List<PoolView> pools;
  private final int machines;
  private final double step;
  private final double share;
  private final double meanUp;
  private final int best;
  private final double[] remainingUp;

  private Estimates(List<PoolView> pools, int machines, double step, long restart, long work) {
    this.pools = pools;
    this.machines = machines;
    this.step = step;
    double none = 1;
    double upWeighted = 0;
    double shareSum = 0;
    remainingUp = new double[pools.size()];
    int bestIdx = -1;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int i = 0; i < pools.size(); i++) {
      PoolView p = pools.get(i);
      double s = p.history().share();
      none *= 1 - s;
      shareSum += s;
      upWeighted += s * p.history().meanUpSeconds(UNKNOWN_RUN_STEPS * step) / step;
      if (!p.fits(machines)) continue;
      remainingUp[i] = Math.max(1, p.history().expectedRemainingUp(UNKNOWN_RUN_STEPS * step) / step);
      double run = Math.min(remainingUp[i], work);
      double cost = p.spotPricePerGpuHour() * (run + restart) / run;
      if (cost < bestCost) {
        bestCost = cost;
        bestIdx = i;
      }
    }
    this.share = Math.min(0.999, Math.max(0.001, 1 - none));
    this.meanUp = shareSum > 0 ? upWeighted / shareSum : UNKNOWN_RUN_STEPS;
    this.best = bestIdx;
  }

  static Estimates of(List<PoolView> pools, int machines, long stepSeconds, long restart, long work) {
    return new Estimates(pools, machines, stepSeconds, restart, work);
  }

  /** The pool with spot now whose expected run gives the cheapest progress, or -1. */
  int bestUsable() {
    return best;
  }

  double remainingUp(int pool) {
    return remainingUp[pool];
  }

  /** Expected steps until some pool has spot again. */
  double remainingDown() {
    double soonest = Double.POSITIVE_INFINITY;
    for (PoolView p : pools) {
      soonest = Math.min(soonest, p.history().expectedRemainingDown(UNKNOWN_RUN_STEPS * step) / step);
    }
    return soonest;
  }

  /**
   * Slack that doing {@code work} steps on spot alone is expected to spend: the outages
   * between spot runs, and a restart for each run.
   */
  long slackNeeded(long work, long restart) {
    double waiting = work * (1 - share) / share;
    double restarts = work / Math.max(1.0, meanUp - restart) * restart;
    return (long) Math.ceil(waiting + restarts);
  }
}
