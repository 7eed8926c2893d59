package dev.spotter.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expected-cost planning for one spot pool: spot availability is modelled as a two-state
 * Markov chain whose chances to lose and regain spot come from the pool's observed history,
 * and a dynamic program over (work left, slack left, instance, availability) gives the expected
 * cost of each move. Tables depend only on the model, the restart and the price ratio, so
 * they are shared by every job and cached.
 */
final class MarkovPlanner {
  static final int IDLE = 0;
  static final int ON_DEMAND = 1;
  static final int SPOT = 2;
  private static final double INF = 1e18;
  private static final int CACHE = 48;

  private static final Map<Key, Table> TABLES = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Table> e) {
      return size() > CACHE;
    }
  };

  private record Key(int maxWork, int maxSlack, int restart, int loss, int priceRatio, int lose, int gain) {}

  private MarkovPlanner() {}

  /**
   * The table for a pool; chances are rounded on a coarse grid so that jobs and ticks share
   * tables. {@code spotShareOfOnDemand} is the spot price over the on-demand price.
   */
  static synchronized Table table(int maxWork, int maxSlack, int restart, int expectedLoss,
      double spotShareOfOnDemand, double loseChance, double gainChance) {
    Key k = new Key(roundUp(maxWork), roundUp(maxSlack), restart, expectedLoss,
        (int) Math.round(spotShareOfOnDemand * 100), grid(loseChance), grid(gainChance));
    return TABLES.computeIfAbsent(k, Table::new);
  }

  private static int roundUp(int n) {
    return Math.max(16, Integer.highestOneBit(Math.max(1, n) - 1) << 1);
  }

  /** Log grid with ~12% steps, clamped to [0.002, 0.9]. */
  private static int grid(double p) {
    double x = Math.min(0.9, Math.max(0.002, p));
    return (int) Math.round(Math.log(x) / Math.log(1.12));
  }

  private static double ungrid(int g) {
    return Math.pow(1.12, g);
  }

  /** Expected costs (on-demand tick = 1) of each state; states after any preemption. */
  static final class Table {
    private final int maxWork;
    private final int maxSlack;
    private final int restart;
    private final int owe;
    private final int states;
    private final double[] v;
    private final double q;
    private final double lose;
    private final double gain;
    private final int loss;

    private Table(Key k) {
      maxWork = k.maxWork;
      maxSlack = k.maxSlack;
      restart = k.restart;
      loss = k.loss;
      owe = Math.max(1, restart);
      states = 2 + 3 * owe; // idle x avail, on-demand(o) x avail, spot(o) available
      q = k.priceRatio / 100.0;
      lose = ungrid(k.lose);
      gain = ungrid(k.gain);
      v = new double[(maxWork + 1) * (maxSlack + 1) * states];
      solve();
    }

    private int at(int c, int s, int state) {
      return (c * (maxSlack + 1) + s) * states + state;
    }

    private int idleState(int a) {
      return a;
    }

    private int odState(int o, int a) {
      return 2 + o * 2 + a;
    }

    private int spotState(int o) {
      return 2 + 2 * owe + o;
    }

    /** Value before the preemption check of the next step: spot lost means idle, maybe with loss. */
    private double next(int c, int s, int kind, int o, int a) {
      if (c <= 0) return 0;
      if (s < 0) return INF;
      double up = a == 1 ? 1 - lose : gain;
      double ev = 0;
      for (int na = 0; na <= 1; na++) {
        double p = na == 1 ? up : 1 - up;
        if (p == 0) continue;
        double val;
        if (kind == SPOT) {
          if (na == 1) {
            val = v[at(c, s, spotState(o))];
          } else {
            int c2 = Math.min(maxWork, c + loss);
            int s2 = s - (c2 - c);
            val = s2 < 0 ? INF : v[at(c2, s2, idleState(0))];
          }
        } else if (kind == ON_DEMAND) {
          val = v[at(c, s, odState(o, na))];
        } else {
          val = v[at(c, s, idleState(na))];
        }
        ev += p * val;
      }
      return ev;
    }

    /** Expected cost of playing {@code kind} now from a state with {@code owed} restart steps left on it. */
    private double play(int c, int s, int kind, int owed, int a) {
      double price = kind == SPOT ? q : kind == ON_DEMAND ? 1 : 0;
      if (kind == IDLE) return next(c, s - 1, IDLE, 0, a);
      if (owed > 0) return price + next(c, s - 1, kind, owed - 1, a);
      return price + next(c - 1, s, kind, 0, a);
    }

    private void solve() {
      // by time left (c + s): a step always moves to one less, even when a preemption loses work
      for (int r = 0; r <= maxWork + maxSlack; r++) {
        for (int c = Math.max(0, r - maxSlack); c <= Math.min(r, maxWork); c++) {
          int s = r - c;
          for (int a = 0; a <= 1; a++) {
            double idle = c == 0 ? 0 : play(c, s, IDLE, 0, a);
            double od = c == 0 ? 0 : play(c, s, ON_DEMAND, restart, a);
            double spot = c == 0 || a == 0 ? INF : play(c, s, SPOT, restart, a);
            double fresh = Math.min(idle, Math.min(od, spot));
            v[at(c, s, idleState(a))] = fresh;
            for (int o = 0; o < owe; o++) {
              double stay = c == 0 ? 0 : play(c, s, ON_DEMAND, o, a);
              v[at(c, s, odState(o, a))] = Math.min(fresh, stay);
            }
            if (a == 1) {
              for (int o = 0; o < owe; o++) {
                double stay = c == 0 ? 0 : play(c, s, SPOT, o, a);
                v[at(c, s, spotState(o))] = Math.min(fresh, stay);
              }
            }
          }
        }
      }
    }

    /**
     * Expected cost of each move now: {@code [idle, on-demand, spot]} (spot infinite when not
     * available), given where the job is and the restart steps it still owes there.
     */
    double[] moves(int c, int s, int current, int owed, boolean available) {
      c = Math.min(c, maxWork);
      s = Math.min(s, maxSlack);
      int a = available ? 1 : 0;
      double idle = play(c, s, IDLE, 0, a);
      double od = play(c, s, ON_DEMAND, current == ON_DEMAND ? Math.min(owed, owe - 1) : restart, a);
      double spot = available ? play(c, s, SPOT, current == SPOT ? Math.min(owed, owe - 1) : restart, a) : INF;
      return new double[] {idle, od, spot};
    }
  }
}
