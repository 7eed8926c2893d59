package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.Api;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Spotter puts no finalizer on jobs: the owner references on its pods and Services must be right
 * for Kubernetes' garbage collector to clean up after a deleted job.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class GarbageCollectionE2E {
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
    ns = env.newNamespace("gc");
  }

  @AfterEach
  void cleanUp() {
    env.deleteNamespace(ns);
  }

  /**
   * Foreground deletion makes the proof: the API server keeps the job (deletionTimestamp plus the
   * foregroundDeletion finalizer) until the garbage collector has deleted every dependent whose
   * owner reference blocks owner deletion. While the job still exists, the operator's own
   * orphan sweep leaves its pods alone, so what deletes them is the collector.
   */
  @Test
  void deletingAJobLetsTheGarbageCollectorRemoveItsPodsAndService() {
    String job = "gang";
    jobs.apply(Workload.job(job, ns).workers(2).gpus(1).steps(600));
    jobs.awaitStatus(ns, job, "running", Duration.ofMinutes(3), s -> s.getPhase() == JobPhase.Running);
    await("both workers running").atMost(Duration.ofMinutes(3))
        .until(() -> pods(job).size() == 2 && pods(job).stream().allMatch(Jobs::running));
    assertThat(env.admin().services().inNamespace(ns).withName(job).get()).as("the gang's headless Service").isNotNull();
    for (Pod p : pods(job)) {
      assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getKind()).isEqualTo("TrainingJob");
        assertThat(o.getName()).isEqualTo(job);
        assertThat(o.getBlockOwnerDeletion()).isTrue();
        assertThat(o.getController()).isTrue();
      });
    }

    env.admin().resources(TrainingJob.class).inNamespace(ns).withName(job)
        .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    TrainingJob deleting = jobs.get(ns, job);
    assertThat(deleting).as("the job waits for its dependents").isNotNull();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(deleting.getMetadata().getFinalizers()).contains("foregroundDeletion");
    await("the garbage collector deletes the pods while the job still exists").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> jobs.get(ns, job) != null && pods(job).stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    await("pods, Service and job gone").atMost(Duration.ofMinutes(2))
        .until(() -> pods(job).isEmpty() && env.admin().services().inNamespace(ns).withName(job).get() == null
            && jobs.get(ns, job) == null);
  }

  private List<Pod> pods(String job) {
    return env.admin().pods().inNamespace(ns).withLabel(Api.LABEL_JOB, job).list().getItems();
  }
}
