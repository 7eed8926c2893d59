package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator stopped at each step of place → notice → checkpoint → reschedule → complete, then restarted. */
class OperatorRestartIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<Pod> livePods(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
        && (p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))).toList();
  }

  /** No rank ever has two live pods. */
  private void assertOnePodPerRank(String job) {
    Map<String, Long> byRank = livePods(job).stream()
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get("spotter.dev/rank"), Collectors.counting()));
    assertThat(byRank.values()).allMatch(n -> n == 1);
  }

  private void restart() {
    fx.stopOperator();
    assertOnePodPerRank("llm");
    fx.startOperator();
  }

  @Test
  void restartsAtEveryStepLeaveOneLivePodPerRankKeepTheCheckpointAndTheJobCompletes() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
    fx.create(TrainingJobs.named("llm").workers(2).gpus(4).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> livePods("llm").stream().filter(p -> p.getSpec().getNodeName() != null).count() == 2);
    TrainingJob placed = fx.training("llm");

    restart(); // 1: after placement and pod creation
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(livePods("llm")).hasSize(2);
      assertThat(fx.training("llm").getStatus().getAttempt()).isEqualTo(1);
      assertThat(fx.training("llm").getStatus().getPlacement().getNodes()).isEqualTo(placed.getStatus().getPlacement().getNodes());
    });

    // 2: a notice arrives; the workers are slow, so the operator stops while the gang is checkpointing
    fx.checkpoints().silence("llm");
    String node = livePods("llm").get(0).getSpec().getNodeName();
    fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.training("llm").getStatus().getPhase() == JobPhase.Checkpointing
        && fx.training("llm").getStatus().getRescue().getRequestedAt() != null);
    String requestId = fx.training("llm").getStatus().getRescue().getRequestId();
    restart();
    fx.checkpoints().unsilence("llm");

    // 3: the new operator asks again with the same request id, records the checkpoint and moves the gang
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getLastCheckpoint().getId()).isEqualTo("ckpt-" + requestId);
    });
    assertThat(fx.checkpoints().received()).extracting(r -> r.requestId()).containsOnly(requestId);
    restart(); // 4: after the move was recorded
    await().atMost(Duration.ofSeconds(20)).until(() -> livePods("llm").stream().filter(p -> p.getSpec().getNodeName() != null).count() == 2);
    assertOnePodPerRank("llm");
    for (Pod p : livePods("llm")) {
      assertThat(p.getSpec().getNodeName()).isNotEqualTo(node);
      assertThat(p.getSpec().getContainers().get(0).getEnv()).contains(new EnvVar("SPOTTER_RESUME_FROM", "ckpt-" + requestId, null));
    }

    // 5: the workers finish; a restart in between changes nothing
    for (Pod p : livePods("llm")) {
      fx.kubelet().setPhase("default", p.getMetadata().getName(), "Succeeded", null, 0);
    }
    restart();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Succeeded);
      assertThat(tj.getStatus().getLastCheckpoint().getId()).isEqualTo("ckpt-" + requestId);
      assertThat(tj.getStatus().getPreemptions()).isEqualTo(1);
      assertThat(tj.getStatus().getRestarts()).isNull();
    });
    assertThat(fx.podsOf("llm").stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("llm-2-0", "llm-2-1");
  }
}
