package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pod stuck terminating (a finalizer, a kubelet that does not answer) may still run: its
 * replacement must wait until the pod is gone or its node is, or one rank would run twice. The
 * embedded API server keeps an object with finalizers after a delete, with deletionTimestamp set,
 * exactly as kube-apiserver does.
 */
class TerminatingPodIT {
  private static final String HOLD = "test.spotter.dev/hold";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;
  private String node;

  @BeforeEach
  void start() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2).startOperator();
    fx.create(TrainingJobs.named("llm").workers(1).gpus(8).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("llm-1-0") != null && pod("llm-1-0").getSpec().getNodeName() != null);
    node = pod("llm-1-0").getSpec().getNodeName();
    // something else (a log shipper, a volume plugin) holds the pod with a finalizer
    // the kubelet may update the pod at the same moment (409): edit again, as kubectl would
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      fx.client().pods().inNamespace("default").withName("llm-1-0").edit(p -> {
        p.getMetadata().setFinalizers(new ArrayList<>(List.of(HOLD)));
        return p;
      });
      return true;
    });
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private Pod pod(String name) {
    return fx.client().pods().inNamespace("default").withName(name).get();
  }

  /** A notice on the node: the gang checkpoints and moves; the operator deletes the old pod, which stays terminating. */
  private void noticeAndMove() {
    fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.training("llm").getStatus().getAttempt() == 2
        && pod("llm-1-0").getMetadata().getDeletionTimestamp() != null);
    assertThat(pod("llm-1-0").getStatus().getPhase()).isEqualTo("Running");
  }

  private void assertReplacementHeldFor(Duration d) {
    await().during(d).atMost(d.plusSeconds(5)).until(() -> pod("llm-2-0") == null && pod("llm-1-0") != null);
  }

  @Test
  void theReplacementWaitsWhileTheOldPodIsTerminatingAndStartsOnceItIsGone() {
    noticeAndMove();
    // the move is recorded (attempt 2, new node), but no pod of attempt 2 while attempt 1's still exists
    assertThat(fx.training("llm").getStatus().getPlacement().getNodes()).doesNotContain(node);
    assertReplacementHeldFor(Duration.ofSeconds(3));

    fx.client().pods().inNamespace("default").withName("llm-1-0").edit(p -> {
      p.getMetadata().setFinalizers(new ArrayList<>());
      return p;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("llm-1-0") == null && pod("llm-2-0") != null);
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("llm-2-0").getStatus() != null && "Running".equals(pod("llm-2-0").getStatus().getPhase()));
  }

  @Test
  void aStuckPodOnANodeThatIsNotReadyStillHoldsTheReplacementButADeletedNodeReleasesIt() {
    // the node's kubelet is gone with the machine: nobody will ever report the pod stopped
    fx.kubelet().close();
    noticeAndMove();
    // NotReady is not gone: a partitioned node may still run the pod, so the replacement waits
    fx.client().nodes().withName(node).editStatus(n -> {
      n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> c.setStatus("False"));
      return n;
    });
    assertReplacementHeldFor(Duration.ofSeconds(3));

    // the cloud deleted the machine and its Node object: whatever ran there is gone
    fx.client().nodes().withName(node).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("llm-2-0") != null);
    assertThat(pod("llm-1-0")).isNotNull(); // still held by its finalizer, but its node is gone
    assertThat(pod("llm-2-0").getMetadata().getAnnotations().get("spotter.dev/node")).isNotEqualTo(node);
  }
}
