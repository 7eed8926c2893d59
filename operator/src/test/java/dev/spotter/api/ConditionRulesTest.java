package dev.spotter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  /** A status built from a phase, whether it has a placement, and "Type=True|False" conditions. */
  private static TrainingJobStatus status(JobPhase phase, boolean placed, String... conditions) {
    TrainingJobStatus st = new TrainingJobStatus();
    st.setPhase(phase);
    if (placed) {
      st.setPlacement(new Placement("spot-a", CapacityType.Spot, "zone-a", 2.37, List.of("n0")));
    }
    for (String c : conditions) {
      String[] kv = c.split("=");
      Conditions.set(st.getConditions(), kv[0], Boolean.parseBoolean(kv[1]), "Test", "test", 1L, NOW);
    }
    return st;
  }

  static Stream<Arguments> consistent() {
    return Stream.of(
        Arguments.of("new job", new TrainingJobStatus()),
        Arguments.of("waiting for capacity", status(JobPhase.Pending, false, "Valid=true", "Admitted=false")),
        Arguments.of("workers starting", status(JobPhase.Running, true, "Admitted=true", "Running=false")),
        Arguments.of("running", status(JobPhase.Running, true, "Admitted=true", "Running=true")),
        Arguments.of("checkpointing", status(JobPhase.Checkpointing, true, "Admitted=true", "Running=true", "Checkpointing=true")),
        Arguments.of("moving", status(JobPhase.Restarting, false, "Admitted=false", "Running=false", "Checkpointing=false")),
        Arguments.of("succeeded", status(JobPhase.Succeeded, true, "Admitted=true", "Running=false", "Complete=true")),
        Arguments.of("failed", status(JobPhase.Failed, true, "Admitted=true", "Running=false", "Failed=true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void consistent(String what, TrainingJobStatus st) {
    assertThat(ConditionRules.contradictions(st)).isEmpty();
  }

  static Stream<Arguments> contradictory() {
    return Stream.of(
        Arguments.of(status(JobPhase.Succeeded, true, "Complete=true", "Failed=true"), "Complete=True and Failed=True"),
        Arguments.of(status(JobPhase.Failed, true, "Admitted=true", "Running=true", "Failed=true"), "Running=True and Failed=True"),
        Arguments.of(status(JobPhase.Running, true, "Admitted=false", "Running=true"), "Running=True while Admitted=False"),
        Arguments.of(status(JobPhase.Succeeded, true, "Complete=true", "Checkpointing=true"), "Checkpointing=True and Complete=True"),
        Arguments.of(status(JobPhase.Running, true, "Admitted=true", "Complete=true"), "phase Running but Complete=True"),
        Arguments.of(status(JobPhase.Succeeded, true, "Admitted=true"), "phase Succeeded but Complete=absent"),
        Arguments.of(status(JobPhase.Failed, true, "Admitted=true"), "phase Failed but Failed=absent"),
        Arguments.of(status(JobPhase.Running, true, "Admitted=false"), "phase Running but Admitted=False"),
        Arguments.of(status(JobPhase.Checkpointing, false, "Admitted=true"), "phase Checkpointing without a placement"),
        Arguments.of(status(JobPhase.Pending, false, "Admitted=true"), "phase Pending (waiting) but Admitted=True"),
        Arguments.of(status(JobPhase.Restarting, false, "Admitted=false", "Running=true"), "Running=True but phase Restarting"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource
  void contradictory(TrainingJobStatus st, String expected) {
    assertThat(ConditionRules.contradictions(st)).contains(expected);
  }

  @org.junit.jupiter.api.Test
  void aDuplicatedConditionIsAContradiction() {
    TrainingJobStatus st = status(JobPhase.Running, true);
    st.getConditions().add(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Admitted").withStatus("True").build());
    st.getConditions().add(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Admitted").withStatus("True").build());
    assertThat(ConditionRules.contradictions(st.getConditions())).contains("condition Admitted appears more than once");
  }
}
