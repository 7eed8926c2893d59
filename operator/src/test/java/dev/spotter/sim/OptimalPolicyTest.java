package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptimalPolicyTest {

  @ParameterizedTest(name = "{0} work {1} deadline {2} restart {3}: {4}")
  @CsvSource({
    // waits two ticks for spot that lasts to the deadline
    "..####,  3, 6, 1, 4",
    // no spot at all: on-demand with one restart
    "......,  3, 6, 1, 20",
    // spot too short to be worth a restart at the end: spot first, on-demand for the rest
    "###...,  3, 6, 1, 13",
    // two spot runs, idle in between
    "##.##., 2, 6, 1, 4",
  })
  void handMadeCases(String trace, int work, int deadline, int restart, double cost) {
    PolicyResult r = new CblSimulator().run(List.of(TinyTraces.job(work, deadline, restart, true)),
        TinyTraces.set(trace), new OptimalPolicy());
    assertEquals(cost, r.cost(), 1e-9);
    assertEquals(0, r.deadlineMisses());
  }

  /** Every sequence of choices, replayed through the simulator: the cheapest that meets the deadline. */
  static double bruteForce(SimJob job, TraceSet set) {
    int horizon = CblModel.toTicks(0, job, set).deadline();
    int options = set.size() + 2;
    double best = Double.POSITIVE_INFINITY;
    int[] seq = new int[horizon];
    long total = (long) Math.pow(options, horizon);
    for (long code = 0; code < total; code++) {
      long c = code;
      for (int i = 0; i < horizon; i++) {
        seq[i] = (int) (c % options) - 2;
        c /= options;
      }
      SimPolicy scripted = new SimPolicy() {
        public String name() { return "scripted"; }
        public JobPolicy forJob(TickJob j, TraceSet t) { return ctx -> seq[ctx.tick()]; }
      };
      try {
        PolicyResult r = new CblSimulator().run(List.of(job), set, scripted);
        if (r.deadlineMisses() == 0) best = Math.min(best, r.cost());
      } catch (IllegalStateException unusableZone) {
        // the sequence picked a zone without spot: not a policy
      }
    }
    return best;
  }

  @Test
  void matchesBruteForceOnRandomTinyCases() {
    Random rnd = new Random(42);
    for (int k = 0; k < 14; k++) {
      int horizon = 4 + rnd.nextInt(3);
      int zones = 1 + rnd.nextInt(2);
      String[] patterns = new String[zones];
      for (int z = 0; z < zones; z++) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < horizon; t++) sb.append(rnd.nextInt(3) == 0 ? '.' : '#');
        patterns[z] = sb.toString();
      }
      int restart = rnd.nextInt(3);
      int work = 1 + rnd.nextInt(horizon - restart);
      SimJob job = TinyTraces.job(work, horizon, restart, rnd.nextBoolean());
      TraceSet set = TinyTraces.set(patterns);
      double expected = bruteForce(job, set);
      OfflineOptimum dp = new OfflineOptimum(CblModel.toTicks(0, job, set), set);
      String what = String.join("|", patterns) + " work " + work + " restart " + restart + " notice "
          + job.noticeCheckpointSeconds();
      assertEquals(expected, dp.cost(), 1e-9, what);
      PolicyResult replay = new CblSimulator().run(List.of(job), set, new OptimalPolicy());
      assertEquals(expected, replay.cost(), 1e-9, "replay of the plan: " + what);
      assertEquals(0, replay.deadlineMisses(), what);
    }
  }

  @Test
  void neverCostsMoreThanAnyOtherPolicy() {
    TraceSet set = TinyTraces.set("##..#.###...####..#.#.##....#####", "#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#");
    List<SimJob> jobs = List.of(TinyTraces.job(12, 30, 1, true), TinyTraces.job(8, 20, 2, false));
    double opt = new CblSimulator().run(jobs, set, new OptimalPolicy()).cost();
    for (String p : List.of("on-demand", "greedy", "uniform-progress")) {
      assertTrue(opt <= new CblSimulator().run(jobs, set, Policies.byName(p)).cost() + 1e-9, p);
    }
  }
}
