package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's scenario end to end, fast: the real operator against the embedded API, spot pools
 * following the bundled GCP H100 trace at 7,200x, the bundled jobs plus generated ones, a fixed
 * seed. Every job must complete despite the preemptions, and the fleet must stay mostly on spot.
 */
class DemoIT {
  @Test
  void everyJobCompletesThroughPreemptionsMostlyOnSpotAndCheaperThanOnDemand() throws Exception {
    DemoOptions o = new DemoOptions(DemoOptions.DEFAULT_TRACE, 7200, Duration.ofSeconds(45), 11, 4, -1, DemoJobs.BUNDLED, true,
        Duration.ofMillis(1500), 4, 3);
    DemoSummary s;
    try (DemoRun run = new DemoRun(o, Map.of()).start()) {
      Instant end = Instant.now().plus(o.duration());
      while (Instant.now().isBefore(end) && !run.trainingDone()) {
        Thread.sleep(250);
      }
      s = DemoSummary.of(run.stats(), o.seed(), run.metricsUrl());
    }
    String why = s.toString();
    System.out.println("demo summary: " + why);
    assertThat(s.jobs_total()).as(why).isEqualTo(7);
    assertThat(s.jobs_completed()).as(why).isEqualTo(7);
    assertThat(s.jobs_lost()).as(why).isZero();
    assertThat(s.notices()).as(why).isPositive();
    assertThat(s.nodes_removed()).as(why).isPositive();
    assertThat(s.preemptions()).as(why).isPositive();
    assertThat(s.reschedules()).as(why).isGreaterThanOrEqualTo(s.preemptions());
    assertThat(s.checkpoints()).as(why).isPositive();
    assertThat(s.inference_ready()).as(why).isEqualTo(s.inference_replicas()).isEqualTo(5);
    assertThat(s.spot_share()).as(why).isBetween(0.65, 0.95);
    assertThat(s.cost()).as(why).isPositive().isLessThan(s.on_demand_cost());
    assertThat(s.savings_pct()).as(why).isBetween(40.0, 85.0);
    assertThat(s.zones()).as(why).hasSize(4);
  }
}
