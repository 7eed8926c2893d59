package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GangPlacementIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @BeforeEach
  void start() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void gangThatFitsNowhereWaitsWithReasonAndCreatesNoPods() {
    fx.create(TrainingJobs.named("too-big").workers(3).gpus(8).build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("too-big");
      assertThat(tj.getStatus()).isNotNull();
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Pending);
      assertThat(tj.getStatus().getReason()).isEqualTo("InsufficientCapacity");
      assertThat(tj.getStatus().getMessage()).contains("needs 3 worker(s) x 8 GPU(s) on one pool");
    });
    assertThat(fx.podsOf("too-big")).isEmpty();
  }

  @Test
  void gangIsPlacedWholeWithRendezvousEnvironmentAndCompletes() {
    fx.create(TrainingJobs.named("llm").workers(2).gpus(8).build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fx.podsOf("llm")).hasSize(2);
      assertThat(fx.podsOf("llm")).allMatch(p -> p.getSpec().getNodeName() != null);
    });
    TrainingJob tj = fx.training("llm");
    assertThat(tj.getStatus().getPlacement().getPool()).isEqualTo("spot-a"); // the cheapest pool that fits
    for (Pod p : fx.podsOf("llm")) {
      Map<String, String> env = p.getSpec().getContainers().get(0).getEnv().stream()
          .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
      assertThat(env).containsEntry("WORLD_SIZE", "2").containsEntry("SPOTTER_JOB", "llm")
          .containsEntry("SPOTTER_ATTEMPT", "1").containsEntry("SPOTTER_CAPACITY_TYPE", "Spot")
          .containsKeys("MASTER_ADDR", "MASTER_PORT", "RANK");
      assertThat(p.getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("8");
    }
    for (Pod p : fx.podsOf("llm")) {
      fx.kubelet().setPhase("default", p.getMetadata().getName(), "Succeeded", null, 0);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(fx.training("llm").getStatus().getPhase()).isEqualTo(JobPhase.Succeeded));
    assertThat(fx.training("llm").getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
  }
}
