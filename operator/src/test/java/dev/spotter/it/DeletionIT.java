package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CheckpointStorage;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deleting a job in any phase removes its pods and frees what it held, and leaves its checkpoint
 * volume unless the user asked for it to go with the job. The embedded API server has no garbage
 * collector: the operator's reaper removes the pods (as the collector would through their owner
 * reference), and the claim to delete with the job carries the job as owner, which is what makes
 * a real collector remove it.
 */
class DeletionIT {
  /** The phase the job is in when it is deleted. */
  enum When { PENDING, RUNNING, CHECKPOINTING, MOVING, SUCCEEDED, FAILED }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @BeforeEach
  void start() {
    fx = new OperatorFixture(clock, Map.of()).threePools(1).startOperator();
    for (String claim : List.of("kept", "owned")) {
      fx.client().persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
          .withNewMetadata().withName(claim).endMetadata().withNewSpec().withAccessModes("ReadWriteMany").endSpec().build()).create();
    }
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private TrainingJob job(String name, String claim, boolean deleteWithJob, int gpus) {
    TrainingJob job = TrainingJobs.named(name).gpus(gpus).httpCheckpoint(20).maxRestarts(0).spotOnly().build();
    CheckpointStorage storage = new CheckpointStorage();
    storage.setPersistentVolumeClaim(claim);
    job.getSpec().getCheckpoint().setStorage(storage);
    job.getSpec().getCheckpoint().setDeleteWithJob(deleteWithJob);
    return job;
  }

  private Pod boundPod(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getSpec().getNodeName() != null).findFirst().orElse(null);
  }

  private JobPhase phase(String job) {
    TrainingJob tj = fx.training(job);
    return tj == null || tj.getStatus() == null ? null : tj.getStatus().getPhase();
  }

  /** Brings job "doomed" (checkpoints on claim "kept") into the phase, next to a job that is not deleted. */
  private void bringTo(When when) {
    fx.create(job("bystander", "owned", false, 8)); // fills spot-a; never touched by the deletion
    await().atMost(Duration.ofSeconds(20)).until(() -> boundPod("bystander") != null);
    String other = boundPod("bystander").getSpec().getNodeName();
    fx.create(job("doomed", "kept", false, when == When.PENDING ? 16 : 8)); // 16 GPUs fit on no node: pending
    if (when == When.PENDING) {
      await().atMost(Duration.ofSeconds(20)).until(() -> phase("doomed") == JobPhase.Pending
          && "InsufficientCapacity".equals(fx.training("doomed").getStatus().getReason()));
      return;
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> boundPod("doomed") != null);
    Pod pod = boundPod("doomed");
    switch (when) {
      case RUNNING -> { }
      case CHECKPOINTING, MOVING -> {
        if (when == When.CHECKPOINTING) {
          fx.checkpoints().silence("doomed"); // the workers take their time
        }
        fx.taint(pod.getSpec().getNodeName(), "cloud.google.com/impending-node-termination", "true", "NoSchedule");
        // MOVING: spot is full (the bystander holds the other pool), so the gang waits to be placed again
        JobPhase expected = when == When.CHECKPOINTING ? JobPhase.Checkpointing : JobPhase.Restarting;
        await().atMost(Duration.ofSeconds(20)).until(() -> phase("doomed") == expected);
      }
      case SUCCEEDED -> {
        fx.kubelet().setPhase("default", pod.getMetadata().getName(), "Succeeded", null, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> phase("doomed") == JobPhase.Succeeded);
      }
      case FAILED -> {
        fx.kubelet().setPhase("default", pod.getMetadata().getName(), "Failed", "Error", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> phase("doomed") == JobPhase.Failed);
      }
      default -> throw new IllegalArgumentException(when.name());
    }
    assertThat(other).isNotEqualTo(pod.getSpec().getNodeName());
  }

  @ParameterizedTest
  @EnumSource(When.class)
  void deletingAJobRemovesItsPodsFreesItsGpusAndKeepsItsCheckpoints(When when) {
    bringTo(when);
    List<String> bystanderPods = fx.podsOf("bystander").stream().map(p -> p.getMetadata().getName()).toList();

    fx.client().resources(TrainingJob.class).inNamespace("default").withName("doomed").delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fx.training("doomed")).isNull();
      assertThat(fx.podsOf("doomed")).isEmpty();
      assertThat(fx.operator().fleet().heldKeys()).noneMatch(k -> k.endsWith("/doomed"));
      assertThat(fx.operator().fleet().waitingKeys()).noneMatch(k -> k.endsWith("/doomed"));
    });
    PersistentVolumeClaim kept = fx.client().persistentVolumeClaims().inNamespace("default").withName("kept").get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
    // nothing else was disturbed
    assertThat(fx.podsOf("bystander")).extracting(p -> p.getMetadata().getName()).containsExactlyElementsOf(bystanderPods);
    assertThat(phase("bystander")).isIn(JobPhase.Running, JobPhase.Checkpointing, JobPhase.Restarting);
  }

  @ParameterizedTest
  @EnumSource(value = When.class, names = {"RUNNING", "SUCCEEDED"})
  void aClaimToDeleteWithTheJobIsOwnedByItSoTheCollectorRemovesItWithTheJob(When when) {
    fx.create(job("scratch", "owned", true, 8));
    await().atMost(Duration.ofSeconds(20)).until(() -> boundPod("scratch") != null);
    if (when == When.SUCCEEDED) {
      fx.kubelet().setPhase("default", boundPod("scratch").getMetadata().getName(), "Succeeded", null, 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> phase("scratch") == JobPhase.Succeeded);
    }
    String uid = fx.training("scratch").getMetadata().getUid();
    assertThat(fx.client().persistentVolumeClaims().inNamespace("default").withName("owned").get().getMetadata().getOwnerReferences())
        .singleElement().satisfies(o -> {
          assertThat(o.getUid()).isEqualTo(uid);
          assertThat(o.getKind()).isEqualTo("TrainingJob");
          assertThat(o.getController()).isFalse();
        });
    assertThat(fx.client().persistentVolumeClaims().inNamespace("default").withName("kept").get().getMetadata().getOwnerReferences())
        .isEmpty();
  }
}
