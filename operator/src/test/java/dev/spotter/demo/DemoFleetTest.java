package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.sim.Trace;
import dev.spotter.sim.TraceFormat;
import dev.spotter.sim.TraceLoader;
import dev.spotter.sim.TraceSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo fleet plan: which stretch of trace, which zones, which prices. */
class DemoFleetTest {
  private static final Instant T0 = Instant.parse("2025-10-04T00:00:00Z");

  private static Trace trace(String zone, int... up) {
    int[] m = Arrays.stream(up).map(u -> u == 1 ? Trace.UNLIMITED : 0).toArray();
    double[] p = new double[m.length];
    Arrays.fill(p, 16.0);
    return new Trace(zone, 600, T0, 8, p, zone.startsWith("cheap") ? 64.0 : 80.0, m);
  }

  @Test
  void picksZonesWithChurnThatStillHaveSpotMostOfTheTime() {
    TraceSet set = new TraceSet("t", List.of(
        trace("steady", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
        trace("churny", 1, 0, 1, 1, 0, 1, 1, 1, 0, 1),
        trace("dry", 0, 0, 0, 1, 0, 0, 0, 0, 1, 0),
        trace("flaky", 1, 1, 0, 1, 1, 1, 1, 1, 1, 1)));
    assertThat(DemoFleet.pickZones(set, 0, 10, 2)).extracting(Trace::name).containsExactly("churny", "flaky");
    // when too few zones churn, those with the most spot fill the places
    assertThat(DemoFleet.pickZones(set, 0, 10, 3)).extracting(Trace::name).containsExactly("churny", "flaky", "steady");
  }

  @Test
  void pricesPoolsPerGpuAndPutsOnDemandInTheZoneWithTheCheapestOnDemand() {
    TraceSet set = new TraceSet("t", List.of(trace("a", 1, 0, 1, 0, 1, 1), trace("cheap", 1, 1, 0, 1, 0, 1)));
    DemoFleet.Plan plan = DemoFleet.plan(set, 1, Duration.ofMinutes(30), 2, 3);
    assertThat(plan.startTick()).isZero(); // less than a day of trace: the only start is the first tick
    assertThat(plan.start()).isEqualTo(T0);
    assertThat(plan.spot()).extracting(TraceDriver.SpotPool::name).containsExactlyInAnyOrder("spot-a", "spot-cheap");
    assertThat(plan.prices()).containsEntry("spot-a", 2.0).containsEntry("on-demand-cheap", 8.0);
    assertThat(plan.onDemandPrice()).isEqualTo(8.0);
  }

  @Test
  void theSeedPicksWholeDaysOfTheBundledTraceAndTheDefaultRunHasChurningZones() {
    TraceSet set = new TraceLoader(TraceFormat.PREEMPTED).loadBundled("gcp-h100-2025");
    DemoOptions o = DemoOptions.defaults();
    DemoFleet.Plan a = DemoFleet.plan(set, o.seed(), o.simulatedLength(), o.spotZones(), o.nodesPerPool());
    DemoFleet.Plan b = DemoFleet.plan(set, o.seed(), o.simulatedLength(), o.spotZones(), o.nodesPerPool());
    assertThat(a).isEqualTo(b);
    assertThat(a.startTick() % 144).isZero();
    assertThat(a.spot()).hasSize(4);
    for (TraceDriver.SpotPool p : a.spot()) {
      int changes = 0;
      for (int t = a.startTick() + 1; t < a.startTick() + 360; t++) {
        changes += (p.trace().machines()[t] > 0) != (p.trace().machines()[t - 1] > 0) ? 1 : 0;
      }
      assertThat(changes).as(p.zone()).isGreaterThanOrEqualTo(2);
    }
  }
}
