package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spot wait and fallback on an injected clock, forbidden pools and invalid specs. */
class FallbackAndPermissionIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void spotPreferredJobFallsBackToOnDemandOnlyAfterTheSpotWait() {
    // target 1.0: the mix always asks for spot, so only the spot wait can send the job to on-demand
    fx = new OperatorFixture(clock, Map.of("spotTarget", "1.0", "spotWaitSeconds", "600", "pendingRecheckSeconds", "1"))
        .threePools(1).startOperator();
    // fill both spot pools
    fx.create(TrainingJobs.named("fill-a").gpus(8).spotOnly().build());
    fx.create(TrainingJobs.named("fill-b").gpus(8).spotOnly().build());
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.podsOf("fill-a").size() == 1 && fx.podsOf("fill-b").size() == 1);
    fx.create(TrainingJobs.named("patient").gpus(8).build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("patient");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Pending);
      assertThat(tj.getStatus().getMessage()).contains("waiting for spot").contains("falls back to on-demand at 2026-11-23T12:10:00Z");
    });
    // a few seconds of real time pass, but the injected clock has not reached the spot wait
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> fx.podsOf("patient").isEmpty());
    clock.advance(Duration.ofSeconds(601));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("patient");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Running);
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
      assertThat(tj.getStatus().getMessage()).contains("falling back to on-demand");
    });
  }

  @Test
  void spotOnlyJobNeverFallsBack() {
    fx = new OperatorFixture(clock, Map.of("spotWaitSeconds", "60", "pendingRecheckSeconds", "1")).threePools(1).startOperator();
    fx.create(TrainingJobs.named("fill-a").gpus(8).spotOnly().build());
    fx.create(TrainingJobs.named("fill-b").gpus(8).spotOnly().build());
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.podsOf("fill-b").size() == 1);
    fx.create(TrainingJobs.named("stubborn").gpus(8).spotOnly().build());
    clock.advance(Duration.ofHours(2));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> fx.podsOf("stubborn").isEmpty());
    assertThat(fx.training("stubborn").getStatus().getReason()).isEqualTo("InsufficientCapacity");
  }

  @Test
  void namespaceOutsideEveryPoolSelectorGetsPoolNotPermittedWithWarningEvent() {
    fx = new OperatorFixture(clock, Map.of());
    var onlyTeamA = new LabelSelectorBuilder().addToMatchLabels("team", "a").build();
    fx.pool("team-a-spot", CapacityType.Spot, "zone-a", 1, 2.37, onlyTeamA);
    fx.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b")
        .addToLabels("team", "b").endMetadata().build()).create();
    fx.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a")
        .addToLabels("team", "a").endMetadata().build()).create();
    fx.startOperator();
    fx.create(TrainingJobs.named("intruder").namespace("team-b").gpus(1).build());
    fx.create(TrainingJobs.named("member").namespace("team-a").gpus(1).build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.client().resources(TrainingJob.class).inNamespace("team-b").withName("intruder").get();
      assertThat(tj.getStatus().getReason()).isEqualTo("PoolNotPermitted");
      assertThat(tj.getStatus().getMessage()).contains("namespace team-b may not use pool(s) team-a-spot");
      assertThat(tj.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Admitted")
          && c.getStatus().equals("False") && c.getReason().equals("PoolNotPermitted"));
      assertThat(fx.eventsFor("intruder")).anyMatch(e -> e.getType().equals("Warning") && e.getReason().equals("PoolNotPermitted"));
      TrainingJob ok = fx.client().resources(TrainingJob.class).inNamespace("team-a").withName("member").get();
      assertThat(ok.getStatus().getPhase()).isEqualTo(JobPhase.Running);
    });
    assertThat(fx.podsOf("intruder")).isEmpty();
  }

  @Test
  void invalidSpecThatSlippedPastAdmissionGetsConditionAndWarningAndNoPods() {
    fx = new OperatorFixture(clock, Map.of()).threePools(1).startOperator();
    TrainingJob bad = TrainingJobs.named("bad").gpus(1).build();
    bad.getSpec().setImage(" ");
    bad.getSpec().getCapacity().setDeadline("next tuesday");
    fx.create(bad);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("bad");
      assertThat(tj.getStatus().getReason()).isEqualTo("InvalidSpec");
      assertThat(tj.getStatus().getMessage()).contains("spec.image is required").contains("spec.capacity.deadline must be an RFC 3339 time");
      assertThat(tj.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Valid") && c.getStatus().equals("False"));
      assertThat(fx.eventsFor("bad")).anyMatch(e -> e.getType().equals("Warning") && e.getReason().equals("InvalidSpec"));
    });
    assertThat(fx.podsOf("bad")).isEmpty();
  }

  @Test
  void aSpotJobWhoseDeadlineComesCloseMovesToOnDemandAtItsNextCheckpoint() {
    fx = new OperatorFixture(clock, Map.of("spotTarget", "1.0", "checkpointPollSeconds", "1")).threePools(1).startOperator();
    TrainingJob job = TrainingJobs.named("due").gpus(8).httpCheckpoint(20).build();
    job.getSpec().getCapacity().setDeadline("2026-11-23T14:00:00Z");
    fx.create(job);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fx.training("due").getStatus().getPhase()).isEqualTo(JobPhase.Running);
      assertThat(fx.training("due").getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
    });
    clock.advance(Duration.ofMinutes(95)); // 25 min left, under the 30 min margin
    fx.checkpoints().periodic("due", new dev.spotter.checkpoint.CheckpointReport("step-50", 50L, clock.instant()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("due");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
      assertThat(fx.eventsFor("due")).anyMatch(e -> e.getReason().equals("DeadlineClose"));
      assertThat(fx.podsOf("due")).hasSize(1).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
          .contains(new io.fabric8.kubernetes.api.model.EnvVar("SPOTTER_RESUME_FROM", "step-50", null)));
    });
  }

  @Test
  void missingCheckpointClaimWaitsWithAWarningAndAClaimToDeleteWithTheJobGetsTheJobAsOwner() {
    fx = new OperatorFixture(clock, Map.of("pendingRecheckSeconds", "1")).threePools(1).startOperator();
    TrainingJob job = TrainingJobs.named("ckpt").gpus(1).httpCheckpoint(20).build();
    var storage = new dev.spotter.api.CheckpointStorage();
    storage.setPersistentVolumeClaim("ckpt-data");
    job.getSpec().getCheckpoint().setStorage(storage);
    job.getSpec().getCheckpoint().setDeleteWithJob(true);
    fx.create(job);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("ckpt");
      assertThat(tj.getStatus().getReason()).isEqualTo("MissingCheckpointVolume");
      assertThat(tj.getStatus().getMessage()).contains("PersistentVolumeClaim ckpt-data");
      assertThat(fx.eventsFor("ckpt")).anyMatch(e -> e.getType().equals("Warning") && e.getReason().equals("MissingCheckpointVolume"));
    });
    assertThat(fx.podsOf("ckpt")).isEmpty();
    fx.client().persistentVolumeClaims().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("ckpt-data").endMetadata().withNewSpec().withAccessModes("ReadWriteMany").endSpec().build()).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fx.training("ckpt").getStatus().getPhase()).isEqualTo(JobPhase.Running);
      var pvc = fx.client().persistentVolumeClaims().inNamespace("default").withName("ckpt-data").get();
      assertThat(pvc.getMetadata().getOwnerReferences()).anyMatch(o -> o.getName().equals("ckpt") && !o.getController());
      assertThat(fx.podsOf("ckpt")).hasSize(1).allSatisfy(p -> assertThat(p.getSpec().getVolumes())
          .anyMatch(v -> v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName().equals("ckpt-data")));
    });
  }

  @Test
  void userFailuresRestartUntilTheBudgetThenFail() {
    fx = new OperatorFixture(clock, Map.of()).threePools(1).startOperator();
    fx.create(TrainingJobs.named("flaky").gpus(1).maxRestarts(1).build());
    for (int attempt = 1; attempt <= 2; attempt++) {
      String pod = "flaky-" + attempt + "-0";
      await().atMost(Duration.ofSeconds(20)).until(() ->
          fx.podsOf("flaky").stream().anyMatch(p -> p.getMetadata().getName().equals(pod) && p.getSpec().getNodeName() != null));
      fx.kubelet().setPhase("default", pod, "Failed", "Error", 1);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("flaky");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Failed);
      assertThat(tj.getStatus().getReason()).isEqualTo("RestartLimitExceeded");
      assertThat(tj.getStatus().getRestarts()).isEqualTo(2);
      assertThat(tj.getStatus().getPreemptions()).isNull();
    });
  }
}
