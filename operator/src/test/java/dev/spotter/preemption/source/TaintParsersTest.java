package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.NOW;
import static dev.spotter.preemption.source.Fixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Karpenter, AWS NTH, GKE, AKS, cluster autoscaler and out-of-service, on recorded nodes. */
class TaintParsersTest {

  @Test
  void karpenterV1DisruptedTaintIsATerminationWithinTheAwsWindow() {
    Notice n = only(new KarpenterParser().parse(node("aws-karpenter-disrupted.yaml"), CTX));
    assertEquals("ip-10-0-37-12.ec2.internal", n.node());
    assertEquals(NoticeKind.Termination, n.kind());
    assertEquals(NoticeSource.Karpenter, n.source());
    assertEquals(NOW.plusSeconds(120), n.deadline());
    assertEquals(NOW, n.observedAt());
  }

  @Test
  void karpenterLegacyDisruptionTaintCounts() {
    Notice n = only(new KarpenterParser().parse(node("aws-karpenter-legacy-disruption.yaml"), CTX));
    assertEquals(NoticeKind.Termination, n.kind());
    assertTrue(n.detail().contains("karpenter.sh/disruption=disrupting"), n.detail());
  }

  @Test
  void nthSpotInterruptionUsesTheAwsWindowAndKeepsTheEventIdAsDetail() {
    Notice n = only(new AwsNodeTerminationHandlerParser().parse(node("aws-nth-spot-itn.yaml"), CTX));
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NoticeSource.AwsNodeTerminationHandler, n.source());
    assertEquals(NOW.plusSeconds(120), n.deadline());
    assertTrue(n.detail().contains("spot-itn-4b1f3c7f"), n.detail());
  }

  @Test
  void nthRebalanceAndMaintenanceMapToTheirKinds() {
    var parser = new AwsNodeTerminationHandlerParser();
    assertEquals(
        NoticeKind.RebalanceRecommendation,
        only(parser.parse(node("aws-nth-rebalance.yaml"), CTX)).kind());
    Notice maintenance = only(parser.parse(node("aws-nth-scheduled-maintenance.yaml"), CTX));
    assertEquals(NoticeKind.Maintenance, maintenance.kind());
    // a NoExecute taint records when it was added: the window started then, not now
    assertEquals(Instant.parse("2025-03-01T09:58:00Z"), maintenance.observedAt());
    assertEquals(Instant.parse("2025-03-01T10:00:00Z"), maintenance.deadline());
  }

  @Test
  void gkeImpendingTerminationIsAPreemptionOnlyOnSpotNodes() {
    Notice spot = only(new GkeParser().parse(node("gke-spot-impending-termination.yaml"), CTX));
    assertEquals(NoticeKind.SpotInterruption, spot.kind());
    assertEquals(NoticeSource.Gke, spot.source());
    assertEquals(NOW.plusSeconds(30), spot.deadline());
    Notice standard = only(new GkeParser().parse(node("gke-standard-impending-termination.yaml"), CTX));
    assertEquals(NoticeKind.Termination, standard.kind());
  }

  @Test
  void aksRemediatorTaintIsAPreemptionOnSpotPoolsAndMaintenanceElsewhere() {
    Notice spot = only(new AksParser().parse(node("aks-spot-remediator.yaml"), CTX));
    assertEquals(NoticeKind.SpotInterruption, spot.kind());
    assertEquals(NoticeSource.Aks, spot.source());
    assertEquals(NOW.plusSeconds(30), spot.deadline());
    assertEquals(
        NoticeKind.Maintenance,
        only(new AksParser().parse(node("aks-regular-remediator.yaml"), CTX)).kind());
  }

  @Test
  void clusterAutoscalerValueIsWhenTheWindowStarted() {
    Notice n = only(new ClusterAutoscalerParser().parse(node("ca-to-be-deleted.yaml"), CTX));
    assertEquals(NoticeKind.Termination, n.kind());
    assertEquals(Instant.parse("2025-03-01T09:59:30Z"), n.observedAt());
    // a GCE node: 30 s window from 09:59:30
    assertEquals(Instant.parse("2025-03-01T10:00:00Z"), n.deadline());
  }

  @Test
  void clusterAutoscalerMalformedValueStillMarksTheNodeFromNow() {
    Notice n = only(new ClusterAutoscalerParser().parse(node("ca-to-be-deleted-malformed.yaml"), CTX));
    assertEquals(NoticeKind.Termination, n.kind());
    assertEquals(NOW, n.observedAt());
    assertEquals(NOW.plusSeconds(120), n.deadline());
  }

  @Test
  void alibabaNodesGetTheFiveMinuteWindow() {
    Notice n = only(new ClusterAutoscalerParser().parse(node("alibaba-ca-to-be-deleted.yaml"), CTX));
    assertEquals(NOW.plusSeconds(300), n.deadline());
  }

  @Test
  void outOfServiceMeansTheNodeIsAlreadyGone() {
    Notice n = only(new OutOfServiceParser().parse(node("out-of-service.yaml"), CTX));
    assertEquals(NoticeKind.NodeGone, n.kind());
    assertEquals(NoticeSource.OutOfService, n.source());
    assertEquals(Instant.parse("2025-03-01T09:55:00Z"), n.deadline());
  }

  @Test
  void healthyNodesAndForeignTaintsYieldNothing() {
    List<NodeNoticeParser> parsers =
        List.of(
            new KarpenterParser(),
            new AwsNodeTerminationHandlerParser(),
            new GkeParser(),
            new AksParser(),
            new ClusterAutoscalerParser(),
            new OutOfServiceParser());
    for (NodeNoticeParser p : parsers) {
      assertEquals(List.of(), p.parse(node("healthy-spot-node.yaml"), CTX), p.name());
      assertEquals(List.of(), p.parse(node("no-metadata.yaml"), CTX), p.name());
    }
    // each tool's parser ignores the other tools' taints
    assertEquals(List.of(), new GkeParser().parse(node("aws-nth-spot-itn.yaml"), CTX));
    assertEquals(List.of(), new KarpenterParser().parse(node("gke-spot-impending-termination.yaml"), CTX));
  }

  static Notice only(List<Notice> notices) {
    assertEquals(1, notices.size(), () -> "expected one notice, got " + notices);
    return notices.get(0);
  }
}
