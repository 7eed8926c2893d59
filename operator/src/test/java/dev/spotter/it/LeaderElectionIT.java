package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.config.SpotterConfig;
import dev.spotter.operator.SpotterOperator;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two operators on one API with leader election: one reconciles, the other takes over when it stops. */
class LeaderElectionIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;
  private SpotterOperator standby;

  @AfterEach
  void stop() {
    if (standby != null) {
      standby.close();
    }
    fx.close();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWithoutDuplicatePods() {
    Map<String, String> le = Map.of("leaderElection", "true", "leaderElectionNamespace", "default");
    fx = new OperatorFixture(clock, le).threePools(2).startOperator();
    SpotterConfig config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "4")).with(dev.spotter.demo.EmbeddedApiServer.OPERATOR_OPTIONS).with(le);
    standby = new SpotterOperator(fx.client(), config, Clock.systemUTC()).withCheckpointClient(fx.checkpoints());
    new Thread(standby::start, "standby-operator").start(); // blocks on the lease while the first one leads

    fx.create(TrainingJobs.named("first").workers(2).gpus(4).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.podsOf("first").size() == 2);
    var lease = fx.client().leases().inNamespace("default").withName("spotter-operator").get();
    assertThat(lease).isNotNull();
    String leader = lease.getSpec().getHolderIdentity();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> fx.podsOf("first").size() == 2);

    fx.stopOperator(); // the leader goes away
    fx.create(TrainingJobs.named("second").workers(1).gpus(8).build());
    await().atMost(Duration.ofSeconds(60)).until(() -> fx.podsOf("second").size() == 1);
    assertThat(fx.client().leases().inNamespace("default").withName("spotter-operator").get().getSpec().getHolderIdentity())
        .isNotEqualTo(leader);
    assertThat(fx.podsOf("first")).hasSize(2);
    assertThat(fx.training("first").getStatus().getAttempt()).isEqualTo(1);
  }
}
