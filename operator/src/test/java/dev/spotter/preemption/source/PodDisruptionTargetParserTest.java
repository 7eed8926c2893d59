package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.pod;
import static dev.spotter.preemption.source.TaintParsersTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDisruptionTargetParserTest {
  private final PodDisruptionTargetParser parser = new PodDisruptionTargetParser();

  @Test
  void gracefulNodeShutdownGivesTheGracePeriodEndAsDeadline() {
    Notice n = only(parser.parse(pod("disruption-target-kubelet.yaml"), CTX));
    assertEquals("gke-train-a3-spot-pool-5f2c1a9b-x7kq", n.node());
    assertEquals(NoticeKind.PodDisruption, n.kind());
    assertEquals(NoticeSource.PodDisruptionTarget, n.source());
    assertEquals(Instant.parse("2025-03-01T10:00:15Z"), n.deadline());
    assertEquals("pod=ml-team/llama-ft-worker-3 reason=TerminationByKubelet", n.detail());
  }

  @Test
  void anEvictionWithoutDeletionTimestampUsesTheShortestWindow() {
    Notice n = only(parser.parse(pod("disruption-target-eviction.yaml"), CTX));
    assertEquals(Instant.parse("2025-03-01T10:00:20Z"), n.deadline());
    assertEquals("pod=serving/vllm-serve-7d9f8c6b5-k2x4p reason=EvictionByEvictionAPI", n.detail());
  }

  @Test
  void healthyAndUnboundPodsYieldNothing() {
    assertEquals(List.of(), parser.parse(pod("running.yaml"), CTX));
    assertEquals(List.of(), parser.parse(pod("pending-preempted.yaml"), CTX));
  }
}
