package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.spotter.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GPU-hours and dollars from pod lifetimes in simulated time. */
class GpuHourMeterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-10-04T00:00:00Z"));
  private final GpuHourMeter meter = new GpuHourMeter(clock, Map.of("spot-a", 2.0, "od", 10.0), 10.0, "nvidia.com/gpu");

  private static Pod pod(String name, String pool, String capacity, int gpus) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("ml")
        .addToLabels("spotter.dev/pool", pool).addToLabels("spotter.dev/capacity-type", capacity).endMetadata()
        .withNewSpec().addNewContainer().withName("w").withNewResources()
        .withLimits(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))).endResources().endContainer().endSpec()
        .build();
  }

  @Test
  void pricesEachPodsGpuHoursAtItsPoolAndComparesWithAllOnDemand() {
    meter.started(pod("a", "spot-a", "spot", 8));
    meter.started(pod("b", "od", "on-demand", 2));
    clock.advance(Duration.ofHours(3));
    meter.stopped(pod("a", "spot-a", "spot", 8), false);
    meter.stopped(pod("a", "spot-a", "spot", 8), true); // a second stop changes nothing
    clock.advance(Duration.ofHours(1));

    GpuHourMeter.Totals t = meter.totals(); // b still runs: counted up to now
    assertThat(t.spotGpuHours()).isCloseTo(24, offset(1e-9));
    assertThat(t.onDemandGpuHours()).isCloseTo(8, offset(1e-9));
    assertThat(t.cost()).isCloseTo(24 * 2.0 + 8 * 10.0, offset(1e-9));
    assertThat(t.onDemandCost()).isCloseTo(32 * 10.0, offset(1e-9));
    assertThat(t.spotShare()).isCloseTo(0.75, offset(1e-9));
    assertThat(t.savingsPct()).isCloseTo(60, offset(1e-9));
    assertThat(t.spotGpusNow()).isZero();
    assertThat(t.onDemandGpusNow()).isEqualTo(2);
  }

  @Test
  void nothingRanNothingSpent() {
    GpuHourMeter.Totals t = meter.totals();
    assertThat(t.gpuHours()).isZero();
    assertThat(t.spotShare()).isZero();
    assertThat(t.savingsPct()).isZero();
  }
}
