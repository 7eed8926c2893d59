package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.FaultInjectingDispatcher;
import dev.spotter.demo.IndexedCrudDispatcher;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writes the operator makes, counted at the API: a settled job costs none. */
class ApiWritesIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final FaultInjectingDispatcher faults = new FaultInjectingDispatcher(new IndexedCrudDispatcher());
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<Pod> running(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
  }

  @Test
  void aSettledJobMakesNoWritesWhenItIsReconciledAgain() throws Exception {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults)).threePools(1).startOperator();
    fx.create(TrainingJobs.named("calm").workers(1).gpus(4).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> running("calm").size() == 1
        && fx.training("calm").getStatus().getRunningWorkers() == 1);
    Thread.sleep(1500); // let every event of the start settle
    long jobWrites = faults.writes("PUT /apis/spotter.dev") + faults.writes("PATCH /apis/spotter.dev");
    long podWrites = faults.writes("POST /api/v1/namespaces/default/pods") + faults.writes("DELETE /api/v1/namespaces/default/pods");
    // a pod event makes the operator reconcile the job again; nothing about it changed
    Pod pod = running("calm").get(0);
    fx.client().pods().inNamespace("default").withName(pod.getMetadata().getName()).edit(p -> {
      p.getMetadata().getLabels().put("touched", "yes");
      return p;
    });
    Thread.sleep(1500);
    assertThat(faults.writes("PUT /apis/spotter.dev") + faults.writes("PATCH /apis/spotter.dev")).isEqualTo(jobWrites);
    assertThat(faults.writes("POST /api/v1/namespaces/default/pods") + faults.writes("DELETE /api/v1/namespaces/default/pods"))
        .isEqualTo(podWrites);
  }
}
