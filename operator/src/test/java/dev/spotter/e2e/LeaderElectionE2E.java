package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Two replicas on the chart's Lease: when the leader goes (its pod deleted in mode image, the
 * leading in-process operator stopped in mode inprocess), the other replica takes the Lease on the
 * real API server and goes on placing jobs.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class LeaderElectionE2E {
  private static E2eEnvironment env;
  private static Jobs jobs;
  private String ns;

  @BeforeAll
  static void environment(E2eEnvironment e) {
    env = e;
    jobs = new Jobs(e.admin());
  }

  @AfterEach
  void cleanUp() {
    env.deleteNamespace(ns);
  }

  @Test
  void whenTheLeaderGoesTheOtherReplicaTakesTheLeaseAndKeepsPlacingJobs() {
    env.nodes().clearNotices();
    String leader = await("a leader").atMost(Duration.ofMinutes(2))
        .until(() -> OperatorReplicas.leaseHolder(env.admin()), h -> h != null);

    String stopped = env.operators().stopLeader();
    assertThat(stopped).isEqualTo(leader);

    String next = await("another replica holding the Lease").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> OperatorReplicas.leaseHolder(env.admin()), h -> h != null && !h.equals(stopped));
    assertThat(next).isNotEqualTo(leader);

    ns = env.newNamespace("leader");
    jobs.apply(Workload.job("after-handover", ns).steps(3));
    jobs.awaitStatus(ns, "after-handover", "succeeded under the new leader", Duration.ofMinutes(4),
        s -> s.getPhase() == JobPhase.Succeeded);
  }
}
