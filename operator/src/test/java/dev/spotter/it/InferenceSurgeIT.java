package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.ReplicaPlacement;
import dev.spotter.testing.InferenceJobs;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replica under notice gets its replacement started before it goes; the on-demand base keeps serving. */
class InferenceSurgeIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<Pod> running(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
  }

  @Test
  void replacementStartsBeforeTheDoomedReplicaIsRemovedAndServingNeverDropsBelowTheBase() throws Exception {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
    fx.create(InferenceJobs.named("chat").replicas(4).gpus(8).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> running("chat").size() == 4);
    InferenceJob ij = fx.inference("chat");
    ReplicaPlacement spotReplica = ij.getStatus().getReplicaPlacements().stream()
        .filter(r -> r.getCapacityType() == CapacityType.Spot).findFirst().orElseThrow();
    String doomedPod = fx.podsOf("chat").stream().filter(p -> spotReplica.getNode().equals(p.getSpec().getNodeName()))
        .findFirst().orElseThrow().getMetadata().getName();

    // watch the number of running replicas while the notice is handled
    AtomicInteger lowest = new AtomicInteger(4);
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        lowest.accumulateAndGet(running("chat").size(), Math::min);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
    fx.taint(spotReplica.getNode(), "aws-node-termination-handler/spot-itn", "evt-7", "NoSchedule");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Pod> pods = fx.podsOf("chat");
      assertThat(pods).extracting(p -> p.getMetadata().getName()).doesNotContain(doomedPod);
      assertThat(running("chat")).hasSize(4);
      assertThat(pods).noneMatch(p -> spotReplica.getNode().equals(p.getSpec().getNodeName()));
    });
    watcher.interrupt();
    watcher.join();
    InferenceJob after = fx.inference("chat");
    assertThat(lowest.get()).as("running replicas never dropped during the surge").isEqualTo(4);
    assertThat(after.getStatus().getReplicaPlacements()).hasSize(4).noneMatch(ReplicaPlacement::retiring);
    assertThat(after.getStatus().getOnDemandReplicas()).isGreaterThanOrEqualTo(1);
    assertThat(after.getStatus().getPreemptions()).isEqualTo(1);
    assertThat(fx.eventsFor("chat")).extracting(e -> e.getReason()).contains("PreemptionNotice", "Rescheduled");
  }
}
