package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.JobPhase;
import dev.spotter.api.ReplicaPlacement;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.InferenceJobs;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fleet spot target and the per-job inference split, on the real operator. */
class SpotMixIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void hundredSingleGpuJobsLandNearTheEightyPercentSpotTarget() {
    fx = new OperatorFixture(clock, Map.of("reconcileThreads", "8")).threePools(10).startOperator();
    for (int i = 0; i < 100; i++) {
      fx.create(TrainingJobs.named("job-" + i).workers(1).gpus(1).build());
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<TrainingJob> jobs = fx.client().resources(TrainingJob.class).inNamespace("default").list().getItems();
      assertThat(jobs).hasSize(100).allMatch(j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.Running);
    });
    List<TrainingJob> jobs = fx.client().resources(TrainingJob.class).inNamespace("default").list().getItems();
    long spot = jobs.stream().filter(j -> j.getStatus().getPlacement().getCapacityType() == CapacityType.Spot).count();
    assertThat(spot / 100.0).isBetween(0.75, 0.85);
    assertThat(fx.client().pods().inNamespace("default").list().getItems()).hasSize(100);
  }

  @Test
  void tenReplicaInferenceJobGetsSevenSpotAndThreeOnDemandSpreadOverZones() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
    fx.create(InferenceJobs.named("chat").replicas(10).gpus(1).build());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      InferenceJob ij = fx.inference("chat");
      assertThat(ij.getStatus()).isNotNull();
      assertThat(ij.getStatus().getReadyReplicas()).isEqualTo(10);
      assertThat(ij.getStatus().getPhase()).isEqualTo("Running");
    });
    InferenceJob ij = fx.inference("chat");
    assertThat(ij.getStatus().getSpotReplicas()).isEqualTo(7);
    assertThat(ij.getStatus().getOnDemandReplicas()).isEqualTo(3);
    Set<String> spotZones = ij.getStatus().getReplicaPlacements().stream()
        .filter(r -> r.getCapacityType() == CapacityType.Spot).map(ReplicaPlacement::getZone).collect(Collectors.toSet());
    assertThat(spotZones).containsExactlyInAnyOrder("zone-a", "zone-b");
    Map<String, Long> podsByCapacity = fx.podsOf("chat").stream()
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get("spotter.dev/capacity-type"), Collectors.counting()));
    assertThat(podsByCapacity).containsEntry("spot", 7L).containsEntry("on-demand", 3L);
  }

  @Test
  void scalingAnInferenceJobDownReleasesReplicasAndKeepsTheBase() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
    fx.create(InferenceJobs.named("chat").replicas(10).gpus(1).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.podsOf("chat").size() == 10);
    // as `kubectl scale` does: a merge patch of the spec, no resourceVersion precondition
    fx.client().resources(InferenceJob.class).inNamespace("default").withName("chat").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"replicas\":2}}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(fx.podsOf("chat")).hasSize(2);
      assertThat(fx.inference("chat").getStatus().getOnDemandReplicas()).isGreaterThanOrEqualTo(1);
      assertThat(fx.inference("chat").getStatus().getReplicas()).isEqualTo(2);
    });
    CapacityType kept = fx.inference("chat").getStatus().getReplicaPlacements().get(0).getCapacityType();
    assertThat(kept).isEqualTo(CapacityType.OnDemand);
  }
}
