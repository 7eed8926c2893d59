package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A SpotPreferred job with a deadline and {@code capacity.expectedDuration} has its spot and
 * on-demand choices made by the cost policy, from the spot pool's observed availability: it waits
 * for spot past the spot wait while its slack allows, pays for on-demand when the slack is gone,
 * counts its committed work in status, and moves at a checkpoint when the policy changes its mind.
 */
class CostPolicyIT {
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  /** One spot pool (its node removed: no spot now) and on-demand; the spot wait is one minute. */
  private void start() {
    fx = new OperatorFixture(clock, Map.of("spotTarget", "1.0", "spotWaitSeconds", "60", "pendingRecheckSeconds", "1",
        "costPolicyStepSeconds", "60", "restartOverheadSeconds", "120", "checkpointPollSeconds", "1"));
    fx.pool("spot-a", CapacityType.Spot, "zone-a", 1, 2.37, null);
    fx.pool("on-demand", CapacityType.OnDemand, "zone-a", 1, 10.32, null);
    fx.client().nodes().withName("spot-a-node-0").delete();
    fx.startOperator();
  }

  private TrainingJob job(String name, String expected, Duration deadlineIn) {
    TrainingJob job = TrainingJobs.named(name).gpus(8).httpCheckpoint(20).build();
    job.getSpec().getCapacity().setDeadline(clock.instant().plus(deadlineIn).toString());
    job.getSpec().getCapacity().setExpectedDuration(expected);
    return job;
  }

  private void spotComesBack() {
    fx.client().nodes().resource(SimulatedNodes.gpuNode("spot-a-node-0", "spot-a", CapacityType.Spot, "zone-a",
        OperatorFixture.MODEL, 8)).create();
  }

  @Test
  void withSlackToSpareTheJobWaitsForSpotPastTheSpotWaitAndTakesItWhenItComesBack() {
    start();
    fx.create(job("patient", "2h", Duration.ofHours(30)));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("patient");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Pending);
      assertThat(tj.getStatus().getMessage()).contains("cost policy").contains("wait for spot");
      assertThat(tj.getStatus().getProgress().getArrivedAt()).isEqualTo(clock.instant().toString());
    });
    // ten times the spot wait: a job without expectedDuration would have fallen back long ago
    clock.advance(Duration.ofMinutes(10));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> fx.podsOf("patient").isEmpty());
    assertThat(fx.training("patient").getStatus().getMessage()).contains("cost policy");

    spotComesBack();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("patient");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Running);
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
      assertThat(tj.getStatus().getMessage()).startsWith("cost policy");
    });
  }

  @Test
  void withoutSlackTheJobPaysForOnDemandAtOnceAndCountsItsCommittedWork() {
    start();
    Instant t0 = clock.instant();
    fx.create(job("urgent", "3h", Duration.ofHours(3).plusMinutes(2)));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("urgent");
      assertThat(tj.getStatus().getPhase()).isEqualTo(JobPhase.Running);
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
      assertThat(tj.getStatus().getMessage()).startsWith("cost policy");
      // every worker runs: work counts once the two-minute restart overhead is paid
      assertThat(tj.getStatus().getProgress().getCountingSince()).isEqualTo(t0.plus(Duration.ofMinutes(2)).toString());
    });
    // counted as an on-demand placement the cost policy chose, for the fallback dashboards and alerts
    assertThat(fx.operator().registry().find("spotter.fallbacks").tag("reason", "cost_policy").counter().count()).isEqualTo(1.0);
    clock.advance(Duration.ofMinutes(32));
    fx.checkpoints().periodic("urgent", new CheckpointReport("step-30", 30L, clock.instant()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("urgent");
      assertThat(tj.getStatus().getLastCheckpoint()).isNotNull();
      assertThat(tj.getStatus().getLastCheckpoint().getId()).isEqualTo("step-30");
      assertThat(tj.getStatus().getProgress().getCommittedSeconds()).isEqualTo(30 * 60L);
      assertThat(tj.getStatus().getProgress().getCountingSince()).isEqualTo(clock.instant().toString());
    });
    // spot is back, but the job cannot afford a restart: it stays on on-demand at its next checkpoint
    spotComesBack();
    clock.advance(Duration.ofMinutes(10));
    fx.checkpoints().periodic("urgent", new CheckpointReport("step-40", 40L, clock.instant()));
    await().atMost(Duration.ofSeconds(20)).until(() -> "step-40".equals(fx.training("urgent").getStatus().getLastCheckpoint().getId()));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
      TrainingJob tj = fx.training("urgent");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(1);
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
    });
  }

  @Test
  void aRelaxedDeadlineMovesTheJobFromOnDemandToSpotAtItsNextCheckpoint() {
    start();
    fx.create(job("relaxed", "3h", Duration.ofHours(3).plusMinutes(2)));
    Instant t0 = clock.instant();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("relaxed");
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
      assertThat(tj.getStatus().getProgress().getCountingSince()).isEqualTo(t0.plus(Duration.ofMinutes(2)).toString());
    });
    spotComesBack();
    // the platform team gives the job two more days: plenty of slack for spot
    fx.client().resources(TrainingJob.class).inNamespace("default").withName("relaxed").edit(tj -> {
      tj.getSpec().getCapacity().setDeadline(clock.instant().plus(Duration.ofHours(51)).toString());
      return tj;
    });
    clock.advance(Duration.ofMinutes(20));
    fx.checkpoints().periodic("relaxed", new CheckpointReport("step-18", 18L, clock.instant()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob tj = fx.training("relaxed");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getPlacement()).isNotNull();
      assertThat(tj.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.Spot);
      assertThat(fx.eventsFor("relaxed")).anyMatch(e -> e.getReason().equals("CostPolicyToSpot"));
      assertThat(fx.podsOf("relaxed")).hasSize(1).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
          .contains(new EnvVar("SPOTTER_RESUME_FROM", "step-18", null)));
      assertThat(tj.getStatus().getProgress().getCommittedSeconds()).isEqualTo(18 * 60L);
    });
  }
}
