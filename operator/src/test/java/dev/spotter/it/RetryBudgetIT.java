package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.Conditions;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.StatusAudit;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries are bounded and explained: each user failure restarts the gang with an Event that says
 * which restart of how many it is, preemptions never count, the job stops at maxRestarts with a
 * Failed condition, and no status along the way contradicts itself.
 */
class RetryBudgetIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;
  private StatusAudit audit;

  @AfterEach
  void stop() {
    audit.close();
    fx.close();
  }

  private List<Pod> bound(int attempt) {
    return fx.podsOf("flaky").stream().filter(p -> p.getSpec().getNodeName() != null
        && p.getMetadata().getName().startsWith("flaky-" + attempt + "-")).toList();
  }

  private void awaitAttemptRunning(int attempt) {
    await().atMost(Duration.ofSeconds(20)).until(() -> bound(attempt).size() == 2
        && bound(attempt).stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
  }

  /** Rank 1 of the attempt exits with code 1. */
  private void fail(int attempt) {
    fx.kubelet().setPhase("default", "flaky-" + attempt + "-1", "Failed", "Error", 1);
  }

  private List<String> warnings(String reason) {
    return fx.eventsFor("flaky").stream().filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .sorted(Comparator.comparing(Event::getLastTimestamp, Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(Event::getMessage).toList();
  }

  @Test
  void userFailuresStopAtMaxRestartsWithAFailedConditionAndPreemptionsDoNotCount() {
    fx = new OperatorFixture(clock, Map.of()).threePools(2);
    audit = new StatusAudit(fx.client());
    fx.startOperator();
    fx.create(TrainingJobs.named("flaky").workers(2).gpus(4).httpCheckpoint(20).maxRestarts(2).build());

    awaitAttemptRunning(1);
    fail(1);
    awaitAttemptRunning(2);
    assertThat(fx.training("flaky").getStatus().getRestarts()).isEqualTo(1);
    // a preemption in between: the gang moves, and the budget is untouched
    fx.taint(bound(2).get(0).getSpec().getNodeName(), "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    awaitAttemptRunning(3);
    assertThat(fx.training("flaky").getStatus().getRestarts()).isEqualTo(1);
    assertThat(fx.training("flaky").getStatus().getPreemptions()).isEqualTo(1);
    fail(3);
    awaitAttemptRunning(4);
    fail(4);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("flaky");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Failed);
      assertThat(tj.getStatus().getReason()).isEqualTo(Conditions.REASON_RESTART_LIMIT);
      assertThat(tj.getStatus().getRestarts()).isEqualTo(3);
      assertThat(tj.getStatus().getConditions()).anyMatch(c -> c.getType().equals(Conditions.FAILED) && c.getStatus().equals("True")
          && c.getReason().equals(Conditions.REASON_RESTART_LIMIT) && c.getMessage().contains("restart budget of 2 used up")
          && c.getMessage().contains("worker 1 (pod flaky-4-1) failed"));
      assertThat(tj.getStatus().getConditions()).anyMatch(c -> c.getType().equals(Conditions.RUNNING) && c.getStatus().equals("False"));
      assertThat(warnings(Conditions.REASON_RESTART_LIMIT)).singleElement().asString().contains("restart budget of 2 used up");
    });
    // every restart was explained, with its number
    assertThat(warnings(Conditions.REASON_WORKER_FAILED)).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("flaky-1-1").contains("restart 1 of 2"))
        .anySatisfy(m -> assertThat(m).contains("flaky-3-1").contains("restart 2 of 2"));
    // and then it stops: no new attempt, no live pod
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> fx.training("flaky").getStatus().getAttempt() == 4
        && fx.podsOf("flaky").stream().noneMatch(p -> p.getMetadata().getName().startsWith("flaky-5-"))
        && fx.podsOf("flaky").stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null
            || p.getStatus() != null && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase())));
    assertThat(audit.versions()).isGreaterThan(8);
    assertThat(audit.violations()).isEmpty();
  }
}
