package dev.spotter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpotterPolicyTest {
  static final Duration STEP = Duration.ofMinutes(10);
  static final Instant T0 = Instant.parse("2025-10-04T00:00:00Z");

  /** A pool history fed with '#' (available) and '.' (not), one character per step. */
  static AvailabilityHistory history(String pattern) {
    AvailabilityHistory h = new AvailabilityHistory();
    for (int i = 0; i < pattern.length(); i++) h.observe(T0.plus(STEP.multipliedBy(i)), pattern.charAt(i) == '#');
    return h;
  }

  static JobSituation job(int workSteps, int leftSteps, Placement current) {
    return new JobSituation(STEP.multipliedBy(workSteps), STEP.multipliedBy(leftSteps), 0.1, STEP, Duration.ZERO,
        Duration.ZERO, current, 1);
  }

  static PoolView pool(String name, AvailabilityHistory h, double price) {
    return new PoolView(name, h.availableNow() ? PoolView.UNCOUNTED : 0, price, h);
  }

  @Test
  void historyEstimatesShareAndRunLengths() {
    AvailabilityHistory h = history("#".repeat(30) + ".".repeat(10) + "#".repeat(30) + ".".repeat(10) + "#####");
    assertTrue(h.availableNow());
    assertEquals(5 * 600, h.currentRunSeconds());
    assertTrue(h.share() > 0.6 && h.share() < 0.85, "share " + h.share());
    // two outages of 10 steps plus the cautious empty prior run: 20 / 3 steps
    assertEquals(20 * 600 / 3.0, h.meanDownSeconds(0), 400);
    assertTrue(h.expectedRemainingUp(0) > 5 * 600, "runs that lasted 5 steps went on for ~25 more");
    assertThrows(IllegalArgumentException.class, () -> h.observe(T0, true));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // situation,                          history,                     work, left, current,   expected
    "spot there and slack: take spot,      ##########################, 30,   60,   idle,      SPOT",
    "spot held: keep it,                   ##########################, 30,   60,   spot,      SPOT",
    "no slack for a spot restart,          ##########################, 30,   31,   idle,      ON_DEMAND",
    "outage with slack to spare: wait,         #########################., 30,   300,  idle,      IDLE",
    // waiting while on-demand can still finish costs nothing, so the policy waits to the last safe step
    "long outage and some slack: wait,       ##########................., 30,   36,   idle,      IDLE",
    "long outage and no slack left: on-demand, ##########................., 30,   31,   idle,      ON_DEMAND",
    "choppy pool and spot just back: stay,    #.#.#.#.#.#.#.#.#.#.#.#..#, 30,   40,   on_demand, ON_DEMAND",
  })
  void onePoolDecisions(String label, String pattern, int work, int left, String current, Capacity expected) {
    Placement cur = switch (current) {
      case "spot" -> Placement.spot("a");
      case "on_demand" -> Placement.ON_DEMAND;
      default -> Placement.IDLE;
    };
    AvailabilityHistory h = history(pattern);
    Decision d = new SpotterPolicy(STEP).decide(job(work, left, cur), List.of(pool("a", h, 2.4)), 10.3);
    assertEquals(expected, d.placement().capacity(), label + ": " + d.reason());
  }

  @Test
  void severalPoolsTakeTheCheapestThatHasSpot() {
    AvailabilityHistory up = history("##########");
    AvailabilityHistory down = history("#########.");
    List<PoolView> pools = List.of(pool("dear", up, 3.0), pool("cheap", up, 2.0), pool("gone", down, 1.0));
    Decision d = new SpotterPolicy(STEP).decide(job(30, 100, Placement.IDLE), pools, 10.3);
    assertEquals(Placement.spot("cheap"), d.placement());
  }

  @Test
  void finishedJobIdles() {
    Decision d = new SpotterPolicy(STEP).decide(job(0, 10, Placement.ON_DEMAND), List.of(), 10.3);
    assertEquals(Placement.IDLE, d.placement());
  }

  @Test
  void decisionsAreAPureFunctionOfTheirInputs() {
    AvailabilityHistory h = history("###..####.##.#####");
    SpotterPolicy p = new SpotterPolicy(STEP);
    JobSituation s = job(40, 70, Placement.ON_DEMAND);
    Decision first = p.decide(s, List.of(pool("a", h, 2.4)), 10.3);
    for (int i = 0; i < 5; i++) assertEquals(first, new SpotterPolicy(STEP).decide(s, List.of(pool("a", h, 2.4)), 10.3));
  }

  @ParameterizedTest(name = "guard slack {0}")
  @CsvSource({
    // remaining, work, owed, restart, loss, canStartSpot, canIdle, canStartOnDemand
    "10, 6, 0, 1, 0, true,  true,  true",
    "8,  6, 0, 1, 0, true,  true,  true",
    "7,  6, 0, 1, 0, false, false, true",
    "9,  6, 0, 1, 2, false, true,  true",
    "6,  6, 0, 1, 0, false, false, false",
  })
  void deadlineGuard(long r, long c, long o, long d, long loss, boolean spot, boolean idle, boolean od) {
    DeadlineGuard g = new DeadlineGuard(r, c, o, d, loss);
    assertEquals(spot, g.canStartSpot(), "spot");
    assertEquals(idle, g.canIdle(), "idle");
    assertEquals(od, g.canStartOnDemand(), "on-demand");
  }
}
