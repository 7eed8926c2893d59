package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notice → checkpoint of the whole gang → reschedule from the checkpoint, on the real operator. */
class PreemptionIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private void startWith(Map<String, String> config) {
    fx = new OperatorFixture(clock, config).threePools(2).startOperator();
  }

  private List<Pod> runningPods(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getSpec().getNodeName() != null).toList();
  }

  private static String env(Pod p, String name) {
    return p.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue).findFirst().orElse(null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "GKE impending termination,cloud.google.com/impending-node-termination,true,NoSchedule",
    "AWS node termination handler,aws-node-termination-handler/spot-itn,evt-1,NoSchedule",
    "Karpenter disruption,karpenter.sh/disrupted,,NoSchedule",
    "cluster autoscaler scale-down,ToBeDeletedByClusterAutoscaler,1795435200,NoSchedule"
  })
  void noticeTaintCheckpointsEveryRankAndMovesTheGangToResumeFromIt(String name, String key, String value, String effect) {
    startWith(Map.of());
    fx.create(TrainingJobs.named("llm").workers(2).gpus(4).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("llm").size() == 2);
    String node = runningPods("llm").get(0).getSpec().getNodeName();
    Set<String> oldPods = fx.podsOf("llm").stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());

    fx.taint(node, key, value, effect);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getLastCheckpoint()).isNotNull();
      assertThat(tj.getStatus().getLastCheckpoint().getSource()).isEqualTo("Notice");
      assertThat(runningPods("llm")).hasSize(2);
    });
    TrainingJob tj = fx.training("llm");
    String checkpoint = tj.getStatus().getLastCheckpoint().getId();
    // every rank of the old attempt was asked, with the same request id
    assertThat(fx.checkpoints().received()).extracting(r -> r.pod()).containsExactlyInAnyOrderElementsOf(oldPods);
    assertThat(fx.checkpoints().received()).extracting(r -> r.requestId()).containsOnly(tj.getStatus().getLastCheckpoint().getId().substring("ckpt-".length()));
    List<Pod> now = fx.podsOf("llm");
    assertThat(now).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(oldPods);
    assertThat(now).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).isNotEqualTo(node);
      assertThat(env(p, "SPOTTER_RESUME_FROM")).isEqualTo(checkpoint);
      assertThat(env(p, "SPOTTER_ATTEMPT")).isEqualTo("2");
    });
    assertThat(tj.getStatus().getPreemptions()).isEqualTo(1);
    assertThat(tj.getStatus().getRestarts()).isNull();
    assertThat(tj.getStatus().getRescue()).isNull();
    assertThat(fx.eventsFor("llm")).extracting(e -> e.getReason()).contains("PreemptionNotice", "Rescheduled");
    assertThat(fx.eventsFor("llm")).anyMatch(e -> e.getReason().equals("Rescheduled")
        && e.getMessage().contains("committed checkpoint " + checkpoint) && e.getMessage().contains("attempt 2 goes to pool"));
  }

  @Test
  void spotterAgentMarkAndPodDisruptionTargetAreNoticesToo() {
    startWith(Map.of());
    fx.create(TrainingJobs.named("a").workers(1).gpus(8).httpCheckpoint(20).build());
    fx.create(TrainingJobs.named("b").workers(1).gpus(8).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("a").size() == 1 && runningPods("b").size() == 1);
    // the agent's mark: taint plus annotation with the kind, source and deadline it read from the cloud
    String nodeA = runningPods("a").get(0).getSpec().getNodeName();
    var notice = new dev.spotter.preemption.Notice(nodeA, dev.spotter.preemption.NoticeKind.SpotInterruption,
        dev.spotter.preemption.NoticeSource.AgentAws, clock.instant().plusSeconds(120), clock.instant(), "test");
    fx.client().nodes().withName(nodeA).edit(n -> {
      n.getMetadata().getAnnotations().put(dev.spotter.preemption.InterruptionMark.KEY, dev.spotter.preemption.InterruptionMark.encode(notice));
      n.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.Taint("NoSchedule", dev.spotter.preemption.InterruptionMark.KEY, null,
          "SpotInterruption"));
      return n;
    });
    // the pod of b is marked for disruption, as the scheduler or an eviction does
    Pod podB = runningPods("b").get(0);
    fx.client().pods().inNamespace("default").withName(podB.getMetadata().getName()).editStatus(p -> {
      p.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodCondition(null, clock.instant().toString(),
          "preempted by a higher-priority pod", null, "PreemptionByScheduler", "True", "DisruptionTarget"));
      return p;
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String job : List.of("a", "b")) {
        TrainingJob tj = fx.training(job);
        assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
        assertThat(tj.getStatus().getLastCheckpoint().getSource()).isEqualTo("Notice");
        assertThat(runningPods(job)).hasSize(1);
        assertThat(env(runningPods(job).get(0), "SPOTTER_RESUME_FROM")).isEqualTo(tj.getStatus().getLastCheckpoint().getId());
      }
    });
    assertThat(runningPods("a").get(0).getSpec().getNodeName()).isNotEqualTo(nodeA);
  }

  @Test
  void nodeAlreadyOutOfServiceIsNotAskedForACheckpointAndTheGangMovesAtOnce() {
    startWith(Map.of());
    fx.create(TrainingJobs.named("llm").workers(1).gpus(8).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("llm").size() == 1);
    String node = runningPods("llm").get(0).getSpec().getNodeName();
    fx.taint(node, "node.kubernetes.io/out-of-service", "nodeshutdown", "NoExecute");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fx.training("llm").getStatus().getAttempt()).isEqualTo(2);
      assertThat(runningPods("llm")).hasSize(1).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotEqualTo(node));
    });
    assertThat(fx.checkpoints().received()).isEmpty();
    assertThat(fx.training("llm").getStatus().getPreemptions()).isEqualTo(1);
  }

  @Test
  void aPeriodicReportOfAnEarlierStepNeverReplacesTheRecordedCheckpoint() {
    startWith(Map.of("checkpointPollSeconds", "1"));
    fx.create(TrainingJobs.named("llm").workers(1).gpus(8).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("llm").size() == 1);
    fx.checkpoints().periodic("llm", new CheckpointReport("step-1000", 1000L, clock.instant()));
    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(fx.training("llm").getStatus().getLastCheckpoint().getId()).isEqualTo("step-1000"));
    // as a gang resumed from an older checkpoint reports while it catches up
    fx.checkpoints().periodic("llm", new CheckpointReport("step-600", 600L, clock.instant()));
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(2));
      await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> true);
    }
    assertThat(fx.training("llm").getStatus().getLastCheckpoint().getId()).isEqualTo("step-1000");
    fx.checkpoints().periodic("llm", new CheckpointReport("step-1200", 1200L, clock.instant()));
    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(fx.training("llm").getStatus().getLastCheckpoint().getId()).isEqualTo("step-1200"));
  }

  @Test
  void nodeDeletedWithoutNoticeResumesFromTheLastPeriodicCheckpointAndAccountsLostWork() {
    startWith(Map.of("checkpointPollSeconds", "1"));
    fx.create(TrainingJobs.named("llm").workers(1).gpus(8).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("llm").size() == 1);
    fx.checkpoints().periodic("llm", new CheckpointReport("step-1000", 1000L, clock.instant()));
    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(fx.training("llm").getStatus().getLastCheckpoint()).isNotNull());
    assertThat(fx.training("llm").getStatus().getLastCheckpoint().getSource()).isEqualTo("Periodic");
    clock.advance(Duration.ofMinutes(30));
    String node = runningPods("llm").get(0).getSpec().getNodeName();
    fx.client().nodes().withName(node).delete();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(runningPods("llm")).hasSize(1);
      assertThat(env(runningPods("llm").get(0), "SPOTTER_RESUME_FROM")).isEqualTo("step-1000");
      // 30 min since the checkpoint on 8 GPUs: about 4 GPU-hours lost
      assertThat(tj.getStatus().getCost().getLostGpuHours()).isBetween(3.9, 4.2);
      assertThat(tj.getStatus().getRestarts()).isNull();
    });
  }

  @Test
  void checkpointNotConfirmedInTimeIsMissedAndTheGangResumesFromTheLastCommittedOne() {
    startWith(Map.of());
    fx.create(TrainingJobs.named("slow").workers(2).gpus(4).httpCheckpoint(2).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("slow").size() == 2);
    fx.checkpoints().silence("slow");
    String node = runningPods("slow").get(0).getSpec().getNodeName();
    fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.checkpoints().received().size() == 2);
    assertThat(fx.training("slow").getStatus().getPhase()).isEqualTo(JobPhase.Checkpointing);
    clock.advance(Duration.ofSeconds(3)); // past the 2 s checkpoint timeout
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("slow");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getLastCheckpoint()).isNull();
      assertThat(fx.eventsFor("slow")).anyMatch(e -> e.getReason().equals("CheckpointMissed") && e.getType().equals("Warning"));
      assertThat(runningPods("slow")).hasSize(2).allSatisfy(p -> assertThat(env(p, "SPOTTER_RESUME_FROM")).isNull());
    });
  }

  @Test
  void repeatedPreemptionsMoveTheJobToOnDemandAndItReturnsToSpotAtACheckpoint() {
    startWith(Map.of("preemptionsBeforeOnDemand", "2", "onDemandCooldownSeconds", "600", "checkpointPollSeconds", "1",
        "spotTarget", "1.0"));
    fx.create(TrainingJobs.named("hopper").workers(1).gpus(8).httpCheckpoint(20).build());
    for (int i = 1; i <= 2; i++) {
      final int attempt = i;
      await().atMost(Duration.ofSeconds(20)).until(() -> fx.training("hopper").getStatus().attempt() == attempt
          && runningPods("hopper").size() == 1);
      assertThat(fx.training("hopper").getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
      fx.taint(runningPods("hopper").get(0).getSpec().getNodeName(), "aws-node-termination-handler/spot-itn", "e" + i, "NoSchedule");
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("hopper");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(3);
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
      assertThat(tj.getStatus().getOnDemandUntil()).isEqualTo("2026-11-23T12:10:00Z");
      assertThat(tj.getStatus().getRestarts()).isNull();
      assertThat(fx.eventsFor("hopper")).anyMatch(e -> e.getReason().equals("FallbackToOnDemand"));
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("hopper").size() == 1);
    // the cool-down ends; at the next periodic checkpoint the job returns to spot and resumes from it
    clock.advance(Duration.ofMinutes(11));
    // a step past the notice checkpoints (FakeCheckpointClient reports those at step 4200)
    fx.checkpoints().periodic("hopper", new CheckpointReport("step-4777", 4777L, clock.instant()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("hopper");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(4);
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
      assertThat(runningPods("hopper")).hasSize(1);
      assertThat(env(runningPods("hopper").get(0), "SPOTTER_RESUME_FROM")).isEqualTo("step-4777");
      assertThat(fx.eventsFor("hopper")).anyMatch(e -> e.getReason().equals("ReturnToSpot"));
    });
  }

  @Test
  void aJobUnderTheCostPolicyGetsNoCoolDownAfterRepeatedPreemptions() {
    startWith(Map.of("preemptionsBeforeOnDemand", "2", "onDemandCooldownSeconds", "600", "spotTarget", "1.0",
        "costPolicyStepSeconds", "60"));
    TrainingJob job = TrainingJobs.named("governed").workers(1).gpus(8).httpCheckpoint(20).build();
    job.getSpec().getCapacity().setDeadline(clock.instant().plus(Duration.ofDays(5)).toString());
    job.getSpec().getCapacity().setExpectedDuration("10h");
    fx.create(job);
    for (int i = 1; i <= 2; i++) {
      final int attempt = i;
      await().atMost(Duration.ofSeconds(20)).until(() -> fx.training("governed").getStatus().attempt() == attempt
          && runningPods("governed").size() == 1);
      fx.taint(runningPods("governed").get(0).getSpec().getNodeName(), "aws-node-termination-handler/spot-itn", "e" + i, "NoSchedule");
    }
    // two preemptions, as above: the cost policy, not a cool-down, decides, and with days of slack it stays on spot
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("governed");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(3);
      assertThat(tj.getStatus().getPreemptions()).isEqualTo(2);
      assertThat(tj.getStatus().getOnDemandUntil()).isNull();
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
      assertThat(tj.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Admitted") && c.getStatus().equals("True")
          && c.getMessage().startsWith("attempt 3 on pool") && c.getMessage().contains("cost policy"));
    });
    assertThat(fx.eventsFor("governed")).noneMatch(e -> e.getReason().equals("FallbackToOnDemand"));
  }
}
