package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The targets of issue 11 for Spotter's policy, on the bundled H100 traces with the
 * calibration workload: each zone alone, and all zones together.
 */
class SpotterTargetsTest {
  static TraceSet all;
  static final Map<String, Double> RATIO = new ConcurrentHashMap<>();

  @BeforeAll
  static void load() {
    all = new TraceLoader(TraceFormat.PREEMPTED).loadBundled("gcp-h100-2025");
  }

  static TraceSet pick(String zone) {
    for (int i = 0; i < all.size(); i++) if (all.get(i).name().equals(zone)) return all.only(i);
    throw new IllegalArgumentException(zone);
  }

  static List<String> zones() {
    List<String> z = new ArrayList<>();
    for (Trace t : new TraceLoader(TraceFormat.PREEMPTED).loadBundled("gcp-h100-2025").traces()) z.add(t.name());
    return z;
  }

  @ParameterizedTest(name = "{0} alone")
  @MethodSource("zones")
  void eachZoneAloneMissesNothingAndBeatsTheBetterBaseline(String zone) {
    TraceSet set = pick(zone);
    List<SimJob> jobs = Workloads.cbl21();
    CblSimulator sim = new CblSimulator();
    PolicyResult spotter = sim.run(jobs, set, new SpotterSimPolicy());
    double greedy = sim.run(jobs, set, new GreedyPolicy()).cost();
    double up = sim.run(jobs, set, new UniformProgressPolicy()).cost();
    double optimal = sim.run(jobs, set, new OptimalPolicy()).cost();
    assertEquals(0, spotter.deadlineMisses(), "deadline misses");
    assertTrue(spotter.cost() <= Math.min(greedy, up) + 1e-6,
        () -> String.format("spotter %.0f vs greedy %.0f, uniform-progress %.0f", spotter.cost(), greedy, up));
    RATIO.put(zone, spotter.cost() / optimal);
  }

  @AfterAll
  static void averageOverSingleZonesIsWithinTwelvePercentOfOptimal() {
    if (RATIO.size() < 13) return;
    double avg = RATIO.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(avg <= 1.12, "average spotter/optimal over single zones: " + avg);
  }

  @Test
  void allZonesTogetherWithinThreePercentOfOptimal() {
    List<SimJob> jobs = Workloads.cbl21();
    CblSimulator sim = new CblSimulator();
    PolicyResult spotter = sim.run(jobs, all, new SpotterSimPolicy());
    double optimal = sim.run(jobs, all, new OptimalPolicy()).cost();
    assertEquals(0, spotter.deadlineMisses());
    assertTrue(spotter.cost() <= optimal * 1.03, spotter.cost() + " vs optimal " + optimal);
  }

  @Test
  void mixedFleetOnAllZonesMeetsEveryDeadlineAndBeatsUniformProgress() {
    List<SimJob> jobs = Workloads.mixedFleet(60, 250, 7);
    CblSimulator sim = new CblSimulator();
    PolicyResult spotter = sim.run(jobs, all, new SpotterSimPolicy());
    assertEquals(0, spotter.deadlineMisses());
    assertTrue(spotter.cost() <= sim.run(jobs, all, new UniformProgressPolicy()).cost());
    assertTrue(spotter.cost() <= sim.run(jobs, all, new OptimalPolicy()).cost() * 1.10);
  }
}
