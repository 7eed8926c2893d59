package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.TrainingJob;
import dev.spotter.demo.CloudPool;
import dev.spotter.demo.ClusterNodes;
import dev.spotter.demo.TraceDriver;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
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
 * The demo's {@code --cloud-pool} notice on the real operator: the mark {@code spotter agent} writes on
 * Alibaba Cloud or Tencent Cloud makes the operator checkpoint the gang and move it off the node.
 */
class CloudAgentNoticeIT {
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

  private List<Pod> runningPods(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getSpec().getNodeName() != null).toList();
  }

  @ParameterizedTest
  @EnumSource(value = CloudPool.class, names = {"ALIBABA", "TENCENT"})
  void agentMarkCheckpointsTheGangAndMovesItOffTheNode(CloudPool cloud) {
    fx.create(TrainingJobs.named("llm").workers(2).gpus(4).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> runningPods("llm").size() == 2);
    Pod first = runningPods("llm").get(0);
    String node = first.getSpec().getNodeName();
    String pool = fx.training("llm").getStatus().getPlacement().getPool();

    // ClusterNodes stamps the mark with the wall clock, as the agent does: the deadline is 60 s from now
    Instant now = clock.instant();
    new ClusterNodes(fx.client(), OperatorFixture.MODEL, 8).withCloudPool(cloud, pool, d -> d)
        .apply(List.of(new TraceDriver.Noticed(node, pool, now, now.plusSeconds(60))));
    assertThat(fx.client().nodes().withName(node).get().getMetadata().getAnnotations().get(InterruptionMark.KEY))
        .contains("\"source\":\"" + cloud.source().tag() + "\"");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getLastCheckpoint()).isNotNull();
      assertThat(tj.getStatus().getLastCheckpoint().getSource()).isEqualTo("Notice");
      assertThat(runningPods("llm")).hasSize(2).allMatch(p -> !node.equals(p.getSpec().getNodeName()));
    });
    assertThat(fx.checkpoints().received()).extracting(r -> r.pod()).contains(first.getMetadata().getName());
  }
}
