package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.Capacity;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.PoolView;
import dev.spotter.policy.SpotterPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator runs the operator's decision code: replaying a trace through {@link
 * SpotterSimPolicy} gives, tick by tick, the decisions a caller gets from {@link SpotterPolicy}
 * when it feeds the same observations the way the operator does.
 */
class SimulatorMatchesPolicyTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"us-west1-a", "us-east4-a", "all"})
  void sameInputsGiveTheSameDecisions(String zone) {
    TraceSet set = RecordingPolicy.bundled("gcp-h100-2025", zone);
    SimJob job = SimJob.cbl("j", 24, 30, 100);
    RecordingPolicy recording = new RecordingPolicy();
    List<RecordingPolicy.Step> seen = recording.steps();
    PolicyResult r = new CblSimulator().run(List.of(job), set, recording);
    assertEquals(0, r.deadlineMisses());
    assertTrue(seen.size() > 100);

    // the operator's way: one history per pool, observed every period, then a pure decision
    long g = set.gapSeconds();
    TickJob tj = CblModel.toTicks(0, job, set);
    AvailabilityHistory[] h = new AvailabilityHistory[set.size()];
    for (int z = 0; z < h.length; z++) h[z] = new AvailabilityHistory();
    SpotterPolicy policy = new SpotterPolicy(Duration.ofSeconds(g));
    Instant start = set.get(0).start();
    int next = 0;
    for (int t = 0; next < seen.size(); t++) {
      for (int z = 0; z < h.length; z++) h[z].observe(start.plusSeconds(g * t), set.get(z).usable(t, 1));
      RecordingPolicy.Step s = seen.get(next);
      if (s.tick() != t) continue;
      next++;
      List<PoolView> pools = new ArrayList<>();
      for (int z = 0; z < h.length; z++) {
        Trace tr = set.get(z);
        pools.add(new PoolView(tr.name(), tr.usable(t, 1) ? PoolView.UNCOUNTED : 0, tr.spotPrice(t) / 8, h[z]));
      }
      Placement current = s.place() == Place.IDLE ? Placement.IDLE
          : s.place() == Place.ON_DEMAND ? Placement.ON_DEMAND : Placement.spot(set.get(s.place()).name());
      int window = tj.deadline() - tj.arrival();
      JobSituation js = new JobSituation(Duration.ofSeconds(g * (tj.work() - s.progress())),
          Duration.ofSeconds(g * (tj.deadline() - t)), (double) (window - tj.work()) / window,
          Duration.ofSeconds(g * tj.restart()), Duration.ofSeconds(g * s.overheadLeft()), Duration.ZERO, current, 1);
      Placement p = policy.decide(js, pools, set.onDemandPricePerGpuHour()).placement();
      int expected = p.capacity() == Capacity.IDLE ? Place.IDLE
          : p.capacity() == Capacity.ON_DEMAND ? Place.ON_DEMAND : indexOf(set, p.pool());
      assertEquals(expected, s.decision(), "tick " + t);
    }
  }

  private static int indexOf(TraceSet set, String name) {
    for (int z = 0; z < set.size(); z++) if (set.get(z).name().equals(name)) return z;
    return -99;
  }
}
