package dev.spotter.preemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NoticeTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void rejectsMissingNodeAndFields() {
    assertThrows(IllegalArgumentException.class, () -> notice(" ", NoticeKind.NodeGone, T0));
    assertThrows(
        NullPointerException.class,
        () -> new Notice("n", null, NoticeSource.Gke, T0, T0, ""));
    assertThrows(
        NullPointerException.class,
        () -> new Notice("n", NoticeKind.NodeGone, NoticeSource.Gke, null, T0, ""));
  }

  @Test
  void nullDetailBecomesEmpty() {
    assertEquals("", new Notice("n", NoticeKind.NodeGone, NoticeSource.Gke, T0, T0, null).detail());
  }

  @Test
  void remainingCountsDownToTheDeadline() {
    Notice n = notice("n", NoticeKind.SpotInterruption, T0.plusSeconds(30));
    assertEquals(Duration.ofSeconds(20), n.remaining(T0.plusSeconds(10)));
    assertTrue(n.remaining(T0.plusSeconds(31)).isNegative());
  }

  @Test
  void moreUrgentKindWinsThenEarlierDeadline() {
    Notice rebalance = notice("n", NoticeKind.RebalanceRecommendation, T0);
    Notice spot = notice("n", NoticeKind.SpotInterruption, T0.plusSeconds(120));
    Notice spotSooner = notice("n", NoticeKind.SpotInterruption, T0.plusSeconds(60));
    assertTrue(rebalance.supersededBy(spot));
    assertFalse(spot.supersededBy(rebalance));
    assertTrue(spot.supersededBy(spotSooner));
    assertFalse(spotSooner.supersededBy(spot));
  }

  @Test
  void sourceTagsAreUniqueAndRoundTrip() {
    for (NoticeSource s : NoticeSource.values()) {
      assertEquals(s, NoticeSource.fromTag(s.tag()).orElseThrow());
      assertTrue(s.tag().matches("[a-z][a-z0-9-]*"), s.tag());
    }
    assertTrue(NoticeSource.fromTag("AWS-NTH").isEmpty());
  }

  @Test
  void windowsDefaultToTheDocumentedValues() {
    NoticeWindows w = NoticeWindows.DEFAULTS;
    assertEquals(Duration.ofSeconds(120), w.windowFor(Cloud.Aws));
    assertEquals(Duration.ofSeconds(30), w.windowFor(Cloud.Gcp));
    assertEquals(Duration.ofSeconds(30), w.windowFor(Cloud.Azure));
    assertEquals(Duration.ofMinutes(5), w.windowFor(Cloud.Alibaba));
    assertEquals(Duration.ofSeconds(30), w.windowFor(Cloud.Unknown));
    NoticeWindows longerGcp = w.with(Cloud.Gcp, Duration.ofSeconds(45));
    assertEquals(Duration.ofSeconds(45), longerGcp.windowFor(Cloud.Gcp));
    assertEquals(Duration.ofSeconds(120), longerGcp.windowFor(Cloud.Aws));
    assertThrows(IllegalArgumentException.class, () -> w.with(Cloud.Aws, Duration.ZERO));
  }

  private static Notice notice(String node, NoticeKind kind, Instant deadline) {
    return new Notice(node, kind, NoticeSource.AgentGcp, deadline, T0, "");
  }
}
