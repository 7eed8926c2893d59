package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.scheduling.Accelerators;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NVIDIA, AMD and Ascend pools side by side: each job lands on the pool of the accelerator it asked for. */
class AcceleratorPlacementIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @BeforeEach
  void start() {
    fx = new OperatorFixture(clock, Map.of()).threePools(1);
    // cheaper than every NVIDIA pool, so a job that ignored its resource would land here
    fx.acceleratorPool("mi300-spot", CapacityType.Spot, "zone-a", 1, 1.10, Accelerators.AMD, "AMD_Instinct_MI300X_OAM");
    fx.acceleratorPool("ascend-spot", CapacityType.Spot, "zone-b", 1, 0.90, Accelerators.ASCEND_910, "huawei-Ascend910");
    fx.startOperator();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void ascendAmdAndNvidiaJobsEachLandOnTheirOwnPoolWithTheirOwnResourceLimit() {
    fx.create(TrainingJobs.named("on-ascend").workers(1).gpus(8).resource(Accelerators.ASCEND_910).build());
    fx.create(TrainingJobs.named("on-amd").workers(1).gpus(4).resource(Accelerators.AMD).build());
    fx.create(TrainingJobs.named("on-nvidia").workers(1).gpus(2).build());

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(fx.podsOf("on-ascend")).hasSize(1).allMatch(p -> p.getSpec().getNodeName() != null);
      assertThat(fx.podsOf("on-amd")).hasSize(1).allMatch(p -> p.getSpec().getNodeName() != null);
      assertThat(fx.podsOf("on-nvidia")).hasSize(1).allMatch(p -> p.getSpec().getNodeName() != null);
    });

    assertThat(fx.training("on-ascend").getStatus().getPlacement().getPool()).isEqualTo("ascend-spot");
    assertThat(fx.training("on-amd").getStatus().getPlacement().getPool()).isEqualTo("mi300-spot");
    // the fleet-wide spot share counts every vendor, so the NVIDIA job may go on-demand; never to AMD or Ascend
    assertThat(fx.training("on-nvidia").getStatus().getPlacement().getPool()).isIn("spot-a", "spot-b", "on-demand");
    assertThat(limits(fx.podsOf("on-nvidia").get(0))).containsOnlyKeys(Accelerators.NVIDIA);
    assertThat(limits(fx.podsOf("on-ascend").get(0))).containsOnlyKeys(Accelerators.ASCEND_910)
        .containsEntry(Accelerators.ASCEND_910, new Quantity("8"));
    assertThat(limits(fx.podsOf("on-amd").get(0))).containsOnlyKeys(Accelerators.AMD)
        .containsEntry(Accelerators.AMD, new Quantity("4"));
    assertThat(fx.podsOf("on-ascend").get(0).getSpec().getNodeName()).isEqualTo("ascend-spot-node-0");
    assertThat(fx.podsOf("on-amd").get(0).getSpec().getNodeName()).isEqualTo("mi300-spot-node-0");
  }

  @Test
  void anAmdJobWaitsWhenTheAmdPoolIsFullRatherThanTakeNvidia() {
    fx.create(TrainingJobs.named("amd-big").workers(2).gpus(8).resource(Accelerators.AMD).spotOnly().build());

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      var st = fx.training("amd-big").getStatus();
      assertThat(st).isNotNull();
      assertThat(st.getReason()).isEqualTo("InsufficientCapacity");
      assertThat(st.getMessage()).contains("mi300-spot").doesNotContain("spot-a");
    });
    assertThat(fx.podsOf("amd-big")).isEmpty();
  }

  private static Map<String, Quantity> limits(Pod p) {
    Map<String, Quantity> gpus = new java.util.TreeMap<>(p.getSpec().getContainers().get(0).getResources().getLimits());
    gpus.keySet().removeIf(k -> !k.contains("/"));
    return gpus;
  }
}
