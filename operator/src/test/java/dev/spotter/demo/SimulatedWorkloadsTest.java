package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.testing.MutableClock;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's simulated training workload: gang progress, checkpoints, resume, loss and completion. */
class SimulatedWorkloadsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-10-04T00:00:00Z"));
  private final List<String> succeeded = new ArrayList<>();
  private final SimulatedWorkloads w = new SimulatedWorkloads(clock, (ns, pod) -> succeeded.add(ns + "/" + pod));

  /** A rank's pod as Spotter creates it, with the env the demo gives the job. */
  private static Pod pod(String job, int attempt, int rank, int workers, Map<String, String> extraEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WORLD_SIZE", Integer.toString(workers));
    env.put("LOCAL_WORLD_SIZE", "8");
    env.putAll(extraEnv);
    List<EnvVar> vars = env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    return new PodBuilder()
        .withNewMetadata().withName(job + "-" + attempt + "-" + rank).withNamespace("ml")
        .addToLabels("spotter.dev/job", job).addToLabels("spotter.dev/kind", "TrainingJob")
        .addToLabels("spotter.dev/attempt", Integer.toString(attempt)).addToLabels("spotter.dev/rank", Integer.toString(rank))
        .endMetadata()
        .withNewSpec().addNewContainer().withName("worker").withEnv(vars).endContainer().endSpec()
        .build();
  }

  private static Map<String, String> checkpointing(String trigger, int everySeconds, double workHours) {
    return Map.of("SPOTTER_CHECKPOINT_TRIGGER", trigger, "SPOTTER_CHECKPOINT_URI", "gs://ckpt/train",
        SimulatedWorkloads.ENV_CHECKPOINT_EVERY, Integer.toString(everySeconds), SimulatedWorkloads.ENV_WORK_HOURS, Double.toString(workHours));
  }

  private void hours(double h) {
    clock.advance(Duration.ofMillis((long) (h * 3_600_000)));
    w.advance();
  }

  @Test
  void twoJobsOfOneNamespaceFinishingInTheSameStepBothSucceed() {
    Map<String, String> env = checkpointing("Http", 3600, 1);
    w.started(pod("a", 1, 0, 1, env));
    w.started(pod("b", 1, 0, 1, env));
    hours(1);
    assertThat(succeeded).containsExactlyInAnyOrder("ml/a-1-0", "ml/b-1-0");
  }

  @Test
  void aGangProgressesOnlyWhileAllItsRanksRunAndSucceedsWhenTheWorkIsDone() {
    Map<String, String> env = checkpointing("Http", 3600, 3);
    w.started(pod("train", 1, 0, 2, env));
    hours(1);
    assertThat(w.progress().get(0).doneHours()).isZero(); // rank 1 is not up yet
    w.started(pod("train", 1, 1, 2, env));
    hours(2.5);
    assertThat(succeeded).isEmpty();
    assertThat(w.progress().get(0).doneHours()).isEqualTo(2.5);
    hours(0.5);
    assertThat(succeeded).containsExactly("ml/train-1-0", "ml/train-1-1");
    assertThat(w.totals().completed()).isEqualTo(1);
    assertThat(w.checkpoints("ml", "train")).extracting(SimulatedWorkloads.Checkpoint::id)
        .containsExactly("gs://ckpt/train/step-60", "gs://ckpt/train/step-120");
  }

  @Test
  void aKilledGangLosesTheWorkSinceItsLastCheckpointAndTheNextAttemptResumesFromIt() {
    Map<String, String> env = checkpointing("Http", 1800, 10);
    w.started(pod("train", 1, 0, 1, env));
    hours(1.75); // checkpoints at 0.5, 1.0 and 1.5 h
    w.stopped(pod("train", 1, 0, 1, env), false);
    assertThat(w.totals().lostGpuHours()).isCloseTo(0.25 * 8, org.assertj.core.data.Offset.offset(1e-6));

    Map<String, String> resume = new LinkedHashMap<>(env);
    resume.put("SPOTTER_RESUME_FROM", "gs://ckpt/train/step-60");
    w.started(pod("train", 2, 0, 1, resume));
    assertThat(w.progress().get(0).doneHours()).isEqualTo(1.0); // Spotter said step 60, not the newest
    assertThat(w.totals().resumes()).isEqualTo(1);
  }

  @Test
  void withoutSpotterResumeFromACheckpointingJobResumesFromItsNewestCheckpoint() {
    Map<String, String> env = checkpointing("Http", 1800, 10);
    w.started(pod("train", 1, 0, 1, env));
    hours(1.2);
    w.stopped(pod("train", 1, 0, 1, env), false);
    w.started(pod("train", 2, 0, 1, env));
    assertThat(w.progress().get(0).doneHours()).isEqualTo(1.0);
  }

  @Test
  void aJobWithoutCheckpointingStartsOverAndLosesEverything() {
    Map<String, String> env = Map.of(SimulatedWorkloads.ENV_WORK_HOURS, "5");
    w.started(pod("eval", 1, 0, 1, env));
    hours(2);
    w.stopped(pod("eval", 1, 0, 1, env), false);
    w.started(pod("eval", 2, 0, 1, env));
    assertThat(w.progress().get(0).doneHours()).isZero();
    assertThat(w.totals().lostGpuHours()).isCloseTo(16, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(w.totals().checkpoints()).isZero();
  }

  @Test
  void withTheSignalTriggerAGracefulStopSavesAFinalCheckpointAndLosesNothing() {
    Map<String, String> env = checkpointing("Signal", 3600, 10);
    w.started(pod("train", 1, 0, 1, env));
    hours(1.5);
    w.stopped(pod("train", 1, 0, 1, env), true);
    assertThat(w.totals().lostGpuHours()).isZero();
    assertThat(w.checkpoints("ml", "train")).extracting(SimulatedWorkloads.Checkpoint::source).containsExactly("Periodic", "Signal");
    w.started(pod("train", 2, 0, 1, env));
    assertThat(w.progress().get(0).doneHours()).isEqualTo(1.5);
  }

  @Test
  void aRequestedCheckpointIsTakenOnlyWhileTheGangRuns() {
    Map<String, String> env = checkpointing("Http", 3600, 10);
    assertThat(w.checkpointNow("ml", "train")).isEmpty();
    w.started(pod("train", 1, 0, 1, env));
    hours(0.25);
    assertThat(w.checkpointNow("ml", "train").map(SimulatedWorkloads.Checkpoint::id)).contains("gs://ckpt/train/step-15");
  }

  @Test
  void stopsOfStaleAttemptsAndUnknownPodsChangeNothing() {
    Map<String, String> env = checkpointing("Http", 3600, 10);
    w.started(pod("train", 2, 0, 1, env));
    hours(1.5);
    w.stopped(pod("train", 1, 0, 1, env), false);
    w.stopped(pod("other", 1, 0, 1, env), false);
    hours(0.5);
    assertThat(w.progress().get(0).doneHours()).isEqualTo(2.0);
    assertThat(w.totals().lostGpuHours()).isZero();
  }
}
