package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.NOW;
import static dev.spotter.preemption.source.Fixtures.node;
import static dev.spotter.preemption.source.TaintParsersTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NotReady nodes and node deletion. */
class NodeStateParsersTest {

  @Test
  void aNodeThatStoppedReportingIsNotReadySinceTheTransition() {
    Notice n = only(new NodeReadinessParser().parse(node("node-not-ready.yaml"), CTX));
    assertEquals(NoticeKind.NodeNotReady, n.kind());
    assertEquals(NoticeSource.NodeNotReady, n.source());
    assertEquals(Instant.parse("2025-03-01T09:59:10Z"), n.observedAt());
    assertEquals(Instant.parse("2025-03-01T10:01:10Z"), n.deadline());
    assertEquals("Ready=Unknown reason=NodeStatusUnknown", n.detail());
  }

  @Test
  void readyNodesAndNodesWithoutStatusAreFine() {
    var parser = new NodeReadinessParser();
    assertEquals(List.of(), parser.parse(node("healthy-spot-node.yaml"), CTX));
    assertEquals(List.of(), parser.parse(node("no-metadata.yaml"), CTX));
    assertEquals(List.of(), parser.parse(node("spotter-agent-tencent.yaml"), CTX));
  }

  @Test
  void aNodeHeldByAFinalizerIsTerminating() {
    Notice n = only(new NodeDeletionParser().parse(node("node-being-deleted.yaml"), CTX));
    assertEquals(NoticeKind.Termination, n.kind());
    assertEquals(NoticeSource.NodeDeleted, n.source());
    assertEquals(Instant.parse("2025-03-01T10:01:50Z"), n.deadline());
  }

  @Test
  void aDeletedNodeIsGoneNow() {
    Notice n = only(new NodeDeletionParser().deleted(node("aws-karpenter-disrupted.yaml"), CTX));
    assertEquals(NoticeKind.NodeGone, n.kind());
    assertEquals(NOW, n.deadline());
    assertEquals(List.of(), new NodeDeletionParser().deleted(node("no-metadata.yaml"), CTX));
  }

  @Test
  void liveNodesWithoutDeletionTimestampAreNotTerminating() {
    assertEquals(List.of(), new NodeDeletionParser().parse(node("aws-karpenter-disrupted.yaml"), CTX));
  }
}
