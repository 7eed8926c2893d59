package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calibration table of issue 11: 21 Can't Be Late jobs on the bundled H100 traces, each zone
 * alone and all together, against the published totals of an exact computation of the model.
 */
class CalibrationTest {
  static TraceSet all;

  @BeforeAll
  static void load() {
    all = new TraceLoader(TraceFormat.PREEMPTED).loadBundled("gcp-h100-2025");
  }

  static TraceSet traces(String zone) {
    if (zone.equals("all")) return all;
    for (int i = 0; i < all.size(); i++) if (all.get(i).name().equals(zone)) return all.only(i);
    throw new IllegalArgumentException(zone);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "all,               83474,  16010, 16010, 15084",
    "us-central1-a,     83474,  23451, 22670, 20050",
    "us-east4-a,        83474,  24214, 25009, 20082",
    "us-west1-a,        83474,  44427, 43839, 37072",
    "us-west1-b,        83474,  76593, 80186, 69205",
    "europe-west3-c,    98500,  71658, 72518, 60818",
    "asia-southeast1-c, 108238, 74874, 75602, 63429",
  })
  void matchesThePublishedTable(String zone, double onDemand, double greedy, double up, double optimal) {
    TraceSet set = traces(zone);
    List<SimJob> jobs = Workloads.cbl21();
    CblSimulator sim = new CblSimulator();
    PolicyResult opt = sim.run(jobs, set, new OptimalPolicy());
    assertEquals(optimal, opt.cost(), optimal * 0.005, "optimal within 0.5%");
    assertEquals(0, opt.deadlineMisses());
    assertEquals(onDemand, sim.run(jobs, set, new OnDemandPolicy()).cost(), onDemand * 0.001, "on-demand");
    assertEquals(greedy, sim.run(jobs, set, new GreedyPolicy()).cost(), greedy * 0.03, "greedy within 3%");
    assertEquals(up, sim.run(jobs, set, new UniformProgressPolicy()).cost(), up * 0.03, "uniform progress within 3%");
  }
}
