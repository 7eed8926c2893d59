package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaselinePoliciesTest {

  @ParameterizedTest(name = "{0} on {1}: work {2}, deadline {3}")
  @CsvSource({
    // policy,         trace,          work, deadline, restart, cost, finish, preemptions, misses
    "on-demand,        ######,         3,    6,        1,       20,   4,      0,           0",
    "on-demand,        ######,         3,    6,        0,       15,   3,      0,           0",
    // spot-only rides two spot runs with a restart each and waits through the outage
    "spot-only,        ##.###,         3,    6,        1,       5,    6,      1,           0",
    // spot-only never buys on-demand, so with no spot it never finishes
    "spot-only,        ......,         3,    6,        1,       0,    -1,     0,           1",
    // greedy waits while it can afford two restarts (R > C + 2d), then stays on-demand
    "greedy,           ......,         3,    6,        1,       20,   5,      0,           0",
    "greedy,           ..####,         3,    6,        1,       20,   5,      0,           0",
    "greedy,           #####.,         3,    6,        1,       4,    4,      0,           0",
    // spot lost with slack 2 = 2d: greedy moves to on-demand at once and finishes in time
    "greedy,           ###...#,        4,    7,        1,       18,   6,      1,           0",
    // uniform progress catches up on on-demand, leaves it once ahead by 2d, and returns
    "uniform-progress, ............,   3,    12,       1,       25,   11,     0,           0",
    // ... and moves from on-demand to spot only once it is 2d ahead of the uniform line
    "uniform-progress, ..##########,   3,    12,       1,       17,   6,      0,           0",
  })
  void knownAnswers(String policy, String trace, int work, int deadline, int restart, double cost, int finish,
      int preemptions, int misses) {
    PolicyResult r = new CblSimulator().run(
        List.of(TinyTraces.job(work, deadline, restart, true)), TinyTraces.set(trace), Policies.byName(policy));
    assertEquals(cost, r.cost(), 1e-9, "cost");
    assertEquals(finish, r.jobs().get(0).finishTick(), "finish tick");
    assertEquals(preemptions, r.preemptions(), "preemptions");
    assertEquals(misses, r.deadlineMisses(), "misses");
  }

  @ParameterizedTest(name = "checkpoint loss, notice={0}")
  @CsvSource({"true, 0, 8", "false, 1, 9"})
  void preemptionWithoutNoticeFallsBackToThePeriodicCheckpoint(boolean notice, double lostWork, int finish) {
    // checkpoints every 2 ticks (20 min); the spot is lost after 3 ticks of work
    SimJob job = TinyTraces.job(5, 20, 1, notice);
    PolicyResult r = new CblSimulator().run(List.of(job), TinyTraces.set("####.#########"), new SpotOnlyPolicy());
    JobOutcome o = r.jobs().get(0);
    assertEquals(finish, o.finishTick());
    // lost = rolled back work + one restart overhead, in GPU-hours (8 GPUs x 1/6 h per tick)
    assertEquals((lostWork + 1) * 8 / 6.0, o.lostGpuHours(), 1e-9);
  }

  @ParameterizedTest(name = "multi-zone {0}")
  @CsvSource({"spot-only", "greedy", "uniform-progress"})
  void takesTheCheapestZoneWithSpotAndMovesWhenItIsLost(String policy) {
    // zone 0 costs 1 per tick, zone 1 costs 1.5; zone 0 disappears at tick 2
    TraceSet set = TinyTraces.set("##......", "########");
    PolicyResult r = new CblSimulator().run(List.of(TinyTraces.job(3, 8, 1, true)), set, Policies.byName(policy));
    // z0: restart + 1 work (2.0); z1: restart + 2 work (4.5)
    assertEquals(6.5, r.cost(), 1e-9);
    assertEquals(1, r.preemptions());
    assertEquals(1.0, r.spotShare(), 1e-9);
  }
}
