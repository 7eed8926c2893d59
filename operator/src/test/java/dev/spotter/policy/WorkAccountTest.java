package dev.spotter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkAccountTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void workCountsOnlyAfterTheRestartOverheadAndIsCommittedAtCheckpoints() {
    WorkAccount a = WorkAccount.NONE.started(T0, Duration.ofMinutes(10));
    assertThat(a.overheadLeft(T0.plusSeconds(240))).isEqualTo(Duration.ofMinutes(6));
    assertThat(a.done(T0.plusSeconds(300))).isEqualTo(Duration.ZERO);
    a = a.checkpointed(T0.plus(Duration.ofMinutes(40)));
    assertThat(a.committedSeconds()).isEqualTo(30 * 60);
    assertThat(a.done(T0.plus(Duration.ofMinutes(50)))).isEqualTo(Duration.ofMinutes(40));
  }

  @Test
  void aPreemptionLosesTheWorkSinceTheLastCheckpointOnly() {
    WorkAccount a = WorkAccount.NONE.started(T0, Duration.ZERO).checkpointed(T0.plus(Duration.ofHours(1)));
    WorkAccount lost = a.stopped();
    assertThat(lost.done(T0.plus(Duration.ofHours(3)))).isEqualTo(Duration.ofHours(1));
    // the next attempt resumes: the work done before is kept, new work counts after its overhead
    WorkAccount resumed = lost.started(T0.plus(Duration.ofHours(3)), Duration.ofMinutes(5));
    assertThat(resumed.done(T0.plus(Duration.ofHours(4)))).isEqualTo(Duration.ofMinutes(115));
  }

  @Test
  void theCheckpointAnAttemptResumesFromAddsNothing() {
    WorkAccount a = new WorkAccount(3600, null).started(T0, Duration.ofMinutes(5));
    assertThat(a.checkpointed(T0.minusSeconds(60))).isEqualTo(a);
    assertThat(a.checkpointed(T0.plusSeconds(60))).isEqualTo(a);
    assertThat(a.started(T0.plusSeconds(600), Duration.ZERO)).as("a second start of the same attempt changes nothing").isEqualTo(a);
  }
}
