package dev.spotter.preemption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NoticeActionPolicyTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(NoticeKind.SpotInterruption, NoticeAction.CheckpointAndMove, NoticeAction.SurgeReplace),
        Arguments.of(NoticeKind.Termination, NoticeAction.CheckpointAndMove, NoticeAction.SurgeReplace),
        Arguments.of(NoticeKind.Maintenance, NoticeAction.CheckpointAndMove, NoticeAction.SurgeReplace),
        Arguments.of(NoticeKind.PodDisruption, NoticeAction.CheckpointAndMove, NoticeAction.SurgeReplace),
        Arguments.of(NoticeKind.RebalanceRecommendation, NoticeAction.Avoid, NoticeAction.Avoid),
        Arguments.of(NoticeKind.NodeNotReady, NoticeAction.Avoid, NoticeAction.SurgeReplace),
        Arguments.of(NoticeKind.NodeGone, NoticeAction.ResumeFromLastCheckpoint, NoticeAction.Replace));
  }

  @ParameterizedTest
  @MethodSource("table")
  void mapsEveryKindForBothJobKinds(NoticeKind kind, NoticeAction training, NoticeAction inference) {
    assertEquals(training, NoticeActionPolicy.actionFor(kind, JobKind.Training));
    assertEquals(inference, NoticeActionPolicy.actionFor(kind, JobKind.Inference));
  }

  @Test
  void tableCoversEveryKind() {
    Set<NoticeKind> covered = EnumSet.noneOf(NoticeKind.class);
    table().forEach(a -> covered.add((NoticeKind) a.get()[0]));
    assertEquals(EnumSet.allOf(NoticeKind.class), covered);
  }

  @Test
  void beforeTheDeadlineTheTableApplies() {
    Notice n = notice(NoticeKind.SpotInterruption, T0.plusSeconds(120));
    assertEquals(NoticeAction.CheckpointAndMove, NoticeActionPolicy.actionFor(n, JobKind.Training, T0));
    assertEquals(NoticeAction.SurgeReplace, NoticeActionPolicy.actionFor(n, JobKind.Inference, T0));
  }

  @Test
  void afterTheDeadlineNothingPreemptiveIsAttempted() {
    Notice n = notice(NoticeKind.SpotInterruption, T0);
    Instant late = T0.plusSeconds(1);
    assertEquals(
        NoticeAction.ResumeFromLastCheckpoint, NoticeActionPolicy.actionFor(n, JobKind.Training, late));
    assertEquals(NoticeAction.Replace, NoticeActionPolicy.actionFor(n, JobKind.Inference, late));
    // exactly at the deadline there is no time left either
    assertEquals(
        NoticeAction.ResumeFromLastCheckpoint, NoticeActionPolicy.actionFor(n, JobKind.Training, T0));
  }

  @Test
  void avoidStaysAvoidAfterTheDeadline() {
    Notice n = notice(NoticeKind.RebalanceRecommendation, T0);
    assertEquals(NoticeAction.Avoid, NoticeActionPolicy.actionFor(n, JobKind.Training, T0.plusSeconds(600)));
  }

  private static Notice notice(NoticeKind kind, Instant deadline) {
    return new Notice("node-a", kind, NoticeSource.AgentAws, deadline, T0.minusSeconds(5), "");
  }
}
