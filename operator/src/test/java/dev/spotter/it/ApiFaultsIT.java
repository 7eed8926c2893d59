package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API faults are retried, never terminal; a settled job costs the API no writes. */
class ApiFaultsIT {
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
  void conflictsAndServerErrorsOnEveryFifthWriteDelayButNeverStopJobs() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults)).threePools(3).startOperator();
    for (int i = 0; i < 6; i++) {
      fx.create(TrainingJobs.named("job-" + i).workers(2).gpus(2).httpCheckpoint(20).build());
    }
    faults.failEvery(5); // from here on, every fifth write of the operator (and of the test) fails
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (int i = 0; i < 6; i++) {
        assertThat(running("job-" + i)).as("job-" + i).hasSize(2);
      }
    });
    // a notice under the same faults: checkpoint, move, resume
    String node = running("job-0").get(0).getSpec().getNodeName();
    List<String> onNode = fx.client().pods().inNamespace("default").list().getItems().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName())).map(p -> p.getMetadata().getLabels().get("spotter.dev/job"))
        .distinct().collect(Collectors.toList());
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
      return true;
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (String job : onNode) {
        TrainingJob tj = fx.training(job);
        assertThat(tj.getStatus().getAttempt()).as(job).isEqualTo(2);
        assertThat(tj.getStatus().getPhase()).as(job).isEqualTo(JobPhase.Running);
        assertThat(running(job)).as(job).hasSize(2).noneMatch(p -> node.equals(p.getSpec().getNodeName()));
      }
    });
    assertThat(faults.faults()).isGreaterThan(10);
    for (int i = 0; i < 6; i++) {
      assertThat(fx.training("job-" + i).getStatus().getRestarts()).as("faults never count as restarts").isNull();
    }
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
