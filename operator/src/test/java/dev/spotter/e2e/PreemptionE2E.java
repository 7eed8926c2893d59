package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointRef;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The whole point of Spotter on real kubelets: a gang on spot gets a termination notice (the taint
 * AWS Node Termination Handler puts), is asked for a checkpoint, moves to the on-demand pool,
 * resumes from that checkpoint and completes.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class PreemptionE2E {
  private static final int STEPS = 40;
  private static E2eEnvironment env;
  private static Jobs jobs;
  private String ns;

  @BeforeAll
  static void environment(E2eEnvironment e) {
    env = e;
    jobs = new Jobs(e.admin());
  }

  @BeforeEach
  void namespace() {
    env.nodes().clearNotices();
    ns = env.newNamespace("preempt");
  }

  @AfterEach
  void cleanUp() {
    env.nodes().clearNotices();
    env.deleteNamespace(ns);
  }

  @Test
  void aNoticeCheckpointsTheGangWhichMovesToOnDemandResumesFromTheCheckpointAndCompletes() {
    String job = "resnet";
    jobs.apply(Workload.job(job, ns).gpus(2).steps(STEPS).execCheckpoints());

    // placed on spot (the fleet is below its 80% spot target) and really running there
    TrainingJob placed = jobs.awaitStatus(ns, job, "running on the spot pool", Duration.ofMinutes(3),
        s -> s.getPhase() == JobPhase.Running && s.getPlacement() != null);
    assertThat(placed.getStatus().getPlacement().getPool()).isEqualTo(GpuNodes.SPOT_POOL);
    assertThat(placed.getStatus().getPlacement().getNodes()).containsExactly(K3sCluster.SPOT_NODE);
    String firstPod = job + "-1-0";
    Pod first = jobs.awaitPod(ns, firstPod, "running", Duration.ofMinutes(3), Jobs::running);
    assertThat(first.getSpec().getNodeName()).isEqualTo(K3sCluster.SPOT_NODE);
    await("a few steps done").atMost(Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> Jobs.steps(jobs.log(ns, firstPod)).contains(5));

    // the notice, as NTH writes it on a spot interruption
    env.nodes().taint(K3sCluster.SPOT_NODE, GpuNodes.NTH_SPOT_ITN, "e2e-spot-itn-1");

    TrainingJob moved = jobs.awaitStatus(ns, job, "moved to on-demand after a checkpoint", Duration.ofMinutes(2),
        s -> s.attempt() == 2 && s.getLastCheckpoint() != null && s.getPlacement() != null
            && GpuNodes.ON_DEMAND_POOL.equals(s.getPlacement().getPool()));
    CheckpointRef cp = moved.getStatus().getLastCheckpoint();
    assertThat(cp.getSource()).as("checkpoint taken for the notice").isEqualTo("Notice");
    assertThat(cp.getAttempt()).isEqualTo(1);
    assertThat(cp.getId()).matches("ckpt-\\d+");
    long step = Long.parseLong(cp.getId().substring(5));
    assertThat(cp.getStep()).as("step reported by the workload").isEqualTo(step);
    assertThat(step).as("the checkpoint holds the work done before the notice").isBetween(5L, (long) STEPS - 1);
    assertThat(moved.getStatus().getPlacement().getCapacityType()).isEqualTo(CapacityType.OnDemand);
    assertThat(moved.getStatus().getPlacement().getNodes()).containsExactly(K3sCluster.ON_DEMAND_NODE);
    assertThat(moved.getStatus().preemptions()).isEqualTo(1);
    assertThat(moved.getStatus().restarts()).as("a preemption is not a restart").isZero();

    // the old attempt is gone from the noticed node; the new one starts on the other node from the checkpoint
    await("attempt 1 pod gone").atMost(Duration.ofMinutes(1)).until(() -> jobs.pod(ns, firstPod) == null);
    String secondPod = job + "-2-0";
    Pod second = jobs.awaitPod(ns, secondPod, "started", Duration.ofMinutes(3), Jobs::started);
    assertThat(second.getSpec().getNodeName()).isEqualTo(K3sCluster.ON_DEMAND_NODE);
    Map<String, String> env2 = second.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env2).containsEntry("SPOTTER_RESUME_FROM", cp.getId())
        .containsEntry("SPOTTER_RESUME_STEP", Long.toString(step))
        .containsEntry("SPOTTER_ATTEMPT", "2")
        .containsEntry("SPOTTER_CAPACITY_TYPE", "OnDemand")
        .containsEntry("SPOTTER_POOL", GpuNodes.ON_DEMAND_POOL);

    TrainingJob done = jobs.awaitStatus(ns, job, "succeeded", Duration.ofMinutes(3), s -> s.getPhase() == JobPhase.Succeeded);
    assertThat(done.getStatus().attempt()).isEqualTo(2);
    String log2 = jobs.log(ns, secondPod);
    assertThat(log2).contains("resumed from " + cp.getId() + " at step " + step).contains("done at step " + STEPS);
    List<Integer> steps2 = Jobs.steps(log2);
    assertThat(steps2).as("attempt 2 continues after the checkpoint, it does not start over")
        .first().isEqualTo((int) step + 1);
    assertThat(steps2).last().isEqualTo(STEPS);

    List<String> reasons = jobs.events(ns, job).stream().map(Event::getReason).toList();
    assertThat(reasons).contains("Admitted", "PreemptionNotice", "Rescheduled", "Completed").doesNotContain("CheckpointMissed");
  }
}
