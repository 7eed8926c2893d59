package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.NOW;
import static dev.spotter.preemption.source.Fixtures.node;
import static dev.spotter.preemption.source.TaintParsersTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpotterAgentParserTest {
  private final SpotterAgentParser parser = new SpotterAgentParser();

  @Test
  void readsTheDeadlineTheAgentWroteFromTheMetadataService() {
    Notice n = only(parser.parse(node("spotter-agent-aws.yaml"), CTX));
    assertEquals("ip-10-0-88-200.ec2.internal", n.node());
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NoticeSource.AgentAws, n.source());
    assertEquals(Instant.parse("2025-03-01T10:02:00Z"), n.deadline());
    assertEquals(Instant.parse("2025-03-01T10:00:03Z"), n.observedAt());
    assertEquals("instance-action terminate", n.detail());
  }

  @Test
  void readsTencentMarks() {
    Notice n = only(parser.parse(node("spotter-agent-tencent.yaml"), CTX));
    assertEquals(NoticeSource.AgentTencent, n.source());
    assertEquals(Instant.parse("2025-03-01T10:02:00Z"), n.deadline());
  }

  @Test
  void brokenAnnotationFallsBackToTheTaintAndTheCloudWindow() {
    Notice n = only(parser.parse(node("spotter-agent-bad-annotation.yaml"), CTX));
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NoticeSource.AgentGcp, n.source());
    assertEquals(NOW.plusSeconds(30), n.deadline());
    assertTrue(n.detail().contains("annotation unreadable"), n.detail());
  }

  @Test
  void unreadableTaintAndAnnotationAreIgnored() {
    assertEquals(List.of(), parser.parse(node("spotter-agent-garbage.yaml"), CTX));
  }

  @Test
  void aStaleAnnotationWithoutTheTaintIsNotANotice() {
    assertEquals(List.of(), parser.parse(node("spotter-agent-annotation-only.yaml"), CTX));
    assertEquals(List.of(), parser.parse(node("healthy-spot-node.yaml"), CTX));
  }
}
