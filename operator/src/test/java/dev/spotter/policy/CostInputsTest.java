package dev.spotter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostInputsTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final CostInputs JOB = new CostInputs(Duration.ofHours(48), Duration.ofMinutes(12), T0, T0.plus(Duration.ofHours(64)),
      Duration.ZERO);

  @Test
  void theSlackShareIsTheSlackAtArrivalOverTheWindow() {
    assertThat(JOB.pacedSlackShare()).isEqualTo(0.25);
    assertThat(new CostInputs(Duration.ofHours(70), Duration.ZERO, T0, T0.plus(Duration.ofHours(64)), Duration.ZERO).pacedSlackShare())
        .as("a job that cannot make it has no slack to pace").isZero();
  }

  @Test
  void theSituationCarriesRemainingWorkAndTimeLeft() {
    JobSituation s = JOB.situation(Duration.ofHours(40), Duration.ofMinutes(3), Placement.spot("a"), T0.plus(Duration.ofHours(50)));
    assertThat(s.remainingWork()).isEqualTo(Duration.ofHours(8));
    assertThat(s.timeLeft()).isEqualTo(Duration.ofHours(14));
    assertThat(s.overheadLeft()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.restartOverhead()).isEqualTo(Duration.ofMinutes(12));
    assertThat(s.current()).isEqualTo(Placement.spot("a"));
    JobSituation late = JOB.situation(Duration.ofHours(50), Duration.ZERO, Placement.IDLE, T0.plus(Duration.ofHours(70)));
    assertThat(late.remainingWork()).as("work beyond the estimate").isZero();
    assertThat(late.timeLeft()).as("past the deadline").isZero();
  }

  @Test
  void anEmptyEstimateIsRejected() {
    assertThatThrownBy(() -> new CostInputs(Duration.ZERO, Duration.ZERO, T0, T0, Duration.ZERO))
        .hasMessageContaining("expectedWork must be positive");
  }
}
