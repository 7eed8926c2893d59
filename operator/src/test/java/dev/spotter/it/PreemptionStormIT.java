package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.bench.PreemptionBenchmark;
import org.junit.jupiter.api.Test;

/** 500 notices over 100 nodes at once: every job asked in time, none missed, no rank ever doubled. */
class PreemptionStormIT {
  @Test
  void everyJobHitByTheStormIsAskedBeforeItsDeadlineAndMovedWithoutDuplicates() throws Exception {
    PreemptionBenchmark.Result r = new PreemptionBenchmark(500, 90).run();
    assertThat(r.nodes_noticed()).isEqualTo(100);
    assertThat(r.checkpoints_missed()).isZero();
    assertThat(r.duplicate_pods()).isZero();
    assertThat(r.jobs_rescheduled()).isEqualTo(500);
    // GCP's 30 s window minus the 5 s safety margin: every request went out well inside it
    assertThat(r.p99_notice_to_checkpoint_ms()).isLessThan(25_000);
  }
}
