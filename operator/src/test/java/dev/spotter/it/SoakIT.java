package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.bench.SoakBenchmark;
import org.junit.jupiter.api.Test;

/**
 * The long run, shortened: three simulated days of the demo at 4 trace hours a second (about 18 s).
 * The heap after GC stays flat from the first day to the last, the thread count too, and every
 * thread the run started is gone once it is closed. `spotter bench soak --days 7` is the full week.
 */
class SoakIT {
  @Test
  void threeSimulatedDaysLeaveTheHeapAndThreadCountFlatAndNoThreadBehind() throws Exception {
    SoakBenchmark.Result r = new SoakBenchmark(3, 14_400, 7, 16).run();
    String why = r.toString();
    System.out.println("soak: " + why);
    assertThat(r.heap_daily_mib()).as(why).hasSize(3);
    assertThat(r.jobs_lost()).as(why).isZero();
    assertThat(r.notices()).as(why).isPositive();
    assertThat(r.jobs_completed()).as(why).isPositive();
    assertThat(r.heap_end_mib() - r.heap_start_mib()).as(why).isLessThan(32);
    assertThat(r.threads_end() - r.threads_start()).as(why).isLessThanOrEqualTo(4);
    // every thread the run started is gone, but for the two kinds the libraries end lazily
    assertThat(r.threads_leaked()).as(why).isEmpty();
    assertThat(r.threads_left()).as(why).hasSizeLessThanOrEqualTo(3);
    assertThat(r.threads_after_close() - r.threads_left().size()).as(why).isLessThanOrEqualTo(r.threads_baseline());
  }
}
