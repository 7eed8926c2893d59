package dev.spotter.sim;

import java.util.Arrays;

/**
 * The exact offline optimum of one job in the {@code cbl} model, by dynamic programming
 * backwards over ticks x progress x instance state, with the whole trace known in advance.
 *
 * <p>State at the start of a tick: progress {@code p} and where the job runs (idle, on-demand
 * or a zone) with the restart ticks it still owes. A choice costs the tick's price; the value
 * is the least cost to finish by the deadline. Continuing is always at least as good as
 * restarting the same instance, so a choice is just the target place. Cost per job grows as
 * ticks x work x zones.
 */
public final class OfflineOptimum {
  private static final double INF = Double.POSITIVE_INFINITY;

  private final TickJob job;
  private final int from;
  private final int to;
  private final int zones;
  private final int owe;
  private final int states;
  /** Per tick offset, progress and state: the target place code (0 idle, 1 on-demand, 2 + zone). */
  private final byte[] choice;
  private final double cost;

  public OfflineOptimum(TickJob job, TraceSet traces) {
    this.job = job;
    this.zones = traces.size();
    if (zones > 120) throw new IllegalArgumentException("the optimum supports at most 120 zones");
    this.owe = Math.max(job.restart(), 1);
    this.states = 1 + owe * (zones + 1);
    this.from = job.arrival();
    int end = job.feasible() ? job.deadline() : traces.ticks();
    this.to = Math.max(end, from);
    int w = job.work();
    this.choice = new byte[Math.max(0, to - from) * w * states];
    this.cost = solve(traces, w);
  }

  /** Least cost to finish in time; infinite when not even on-demand can. */
  public double cost() {
    return cost;
  }

  private int stateOf(int place, int overheadLeft) {
    if (place == Place.IDLE) return 0;
    int base = place == Place.ON_DEMAND ? 1 : 1 + owe * (place + 1);
    return base + Math.max(0, Math.min(overheadLeft, owe - 1));
  }

  /** The optimal place for the job in the given (post-preemption) state. */
  public int decide(int tick, int progress, int place, int overheadLeft) {
    int k = tick - from;
    if (k < 0 || k >= to - from || progress >= job.work()) return Place.ON_DEMAND;
    byte c = choice[(k * job.work() + progress) * states + stateOf(place, overheadLeft)];
    return c == 0 ? Place.IDLE : c == 1 ? Place.ON_DEMAND : c - 2;
  }

  private double solve(TraceSet traces, int w) {
    int d = job.restart();
    double[] next = new double[(w + 1) * states];
    double[] cur = new double[(w + 1) * states];
    double[] post = new double[(w + 1) * states];
    Arrays.fill(next, INF);
    Arrays.fill(next, w * states, (w + 1) * states, 0);
    int[] machines = new int[zones];
    for (int z = 0; z < zones; z++) machines[z] = job.machinesOn(traces.get(z));
    boolean[] usable = new boolean[zones];
    double[] price = new double[zones + 1];
    for (int t = to - 1; t >= from; t--) {
      price[0] = traces.onDemandPricePerGpuHour() * job.tickCostFactor();
      for (int z = 0; z < zones; z++) {
        usable[z] = traces.get(z).usable(t, machines[z]);
        Trace tr = traces.get(z);
        price[z + 1] = tr.spotPrice(t) / tr.gpusPerMachine() * job.tickCostFactor();
      }
      int k = t - from;
      for (int p = 0; p < w; p++) {
        int row = p * states;
        double idle = next[row];
        double bestStart = INF;
        int bestTarget = 0;
        for (int x = 0; x <= zones; x++) {
          if (x > 0 && !usable[x - 1]) continue;
          int base = 1 + owe * x;
          double v = price[x] + (d > 0 ? next[row + base + d - 1] : next[row + states + base]);
          if (v < bestStart) {
            bestStart = v;
            bestTarget = x + 1;
          }
        }
        int off = (k * w + p) * states;
        // idle
        if (bestStart < idle) {
          post[row] = bestStart;
          choice[off] = (byte) bestTarget;
        } else {
          post[row] = idle;
          choice[off] = 0;
        }
        for (int x = 0; x <= zones; x++) {
          int base = 1 + owe * x;
          for (int o = 0; o < owe; o++) {
            if (x > 0 && !usable[x - 1]) {
              post[row + base + o] = INF;
              continue;
            }
            double cont = price[x] + (o > 0 ? next[row + base + o - 1] : next[row + states + base]);
            if (o > 0 && d == 0) cont = INF;
            double best = cont;
            byte c = (byte) (x + 1);
            if (idle < best) {
              best = idle;
              c = 0;
            }
            if (bestStart < best) {
              best = bestStart;
              c = (byte) bestTarget;
            }
            post[row + base + o] = best;
            choice[off + base + o] = c;
          }
        }
      }
      // pre-preemption values: a zone unusable now means the instance is gone, with rollback
      for (int p = 0; p < w; p++) {
        int row = p * states;
        System.arraycopy(post, row, cur, row, states);
        int keptRow = job.keptAfterPreemption(p) * states;
        for (int z = 0; z < zones; z++) {
          if (usable[z]) continue;
          int base = 1 + owe * (z + 1);
          for (int o = 0; o < owe; o++) cur[row + base + o] = post[keptRow];
        }
      }
      Arrays.fill(cur, w * states, (w + 1) * states, 0);
      double[] tmp = next;
      next = cur;
      cur = tmp;
    }
    return to > from ? next[0] : INF;
  }
}
