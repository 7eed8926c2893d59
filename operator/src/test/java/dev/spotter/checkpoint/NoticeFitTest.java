package dev.spotter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoticeFitTest {
  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void aCheckpointFitsWhenItIsCommittedBeforeTheMarginAndTheTimeout() {
    assertThat(NoticeFit.saves(s(30), s(5), s(20), s(20))).isTrue();
    assertThat(NoticeFit.saves(s(30), s(5), s(30), s(25))).isTrue();
    assertThat(NoticeFit.saves(s(30), s(5), s(30), s(26))).as("past the safety margin").isFalse();
    assertThat(NoticeFit.saves(s(120), s(5), s(20), s(21))).as("past the job's timeout").isFalse();
  }

  @Test
  void withoutAMarginTheWholeWindowCounts() {
    assertThat(NoticeFit.saves(s(30), Duration.ZERO, s(30), s(30))).isTrue();
    assertThat(NoticeFit.saves(s(30), Duration.ZERO, s(30), s(31))).isFalse();
  }

  @Test
  void aWindowShorterThanTheMarginLeavesNoTime() {
    assertThat(NoticeFit.saves(s(4), s(5), s(20), s(1))).isFalse();
  }
}
