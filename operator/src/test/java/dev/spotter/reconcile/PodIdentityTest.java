package dev.spotter.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CapacityType;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingJob;
import dev.spotter.scheduling.PoolInfo;
import dev.spotter.testing.InferenceJobs;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Job pods get no more rights than the user gave them: they run as the ServiceAccount the job
 * names (the namespace's default when it names none, never the operator's), and mount its token
 * exactly as the job or that ServiceAccount says.
 */
class PodIdentityTest {
  private static final PoolInfo POOL =
      new PoolInfo("spot-a", CapacityType.Spot, "zone-a", "H100", "nvidia.com/gpu", 2.37, Map.of("group", "spot-a"), null, List.of(), false);

  private static TrainingJob training(String account, Boolean automount) {
    TrainingJob job = TrainingJobs.named("train").namespace("team-a").gpus(8).build();
    job.getMetadata().setUid("uid-1");
    job.getSpec().setServiceAccountName(account);
    job.getSpec().setAutomountServiceAccountToken(automount);
    return job;
  }

  private static InferenceJob inference(String account, Boolean automount) {
    InferenceJob job = InferenceJobs.named("serve").build();
    job.getMetadata().setNamespace("team-a");
    job.getMetadata().setUid("uid-2");
    job.getSpec().setServiceAccountName(account);
    job.getSpec().setAutomountServiceAccountToken(automount);
    return job;
  }

  @ParameterizedTest(name = "serviceAccountName={0} automount={1}")
  @CsvSource(nullValues = "unset", value = {
    "unset, unset",
    "trainer, unset",
    "trainer, false",
    "trainer, true",
    "unset, false"
  })
  void podsRunAsTheJobsServiceAccountAndMountItsTokenOnlyAsTheUserSaid(String account, Boolean automount) {
    Pod worker = PodFactory.trainingWorker(training(account, automount), 1, 0, POOL, "node-1", null);
    Pod replica = PodFactory.inferenceReplica(inference(account, automount), 0, 1, POOL, "node-1");
    for (Pod p : List.of(worker, replica)) {
      assertThat(p.getSpec().getServiceAccountName()).isEqualTo(account);
      assertThat(p.getSpec().getServiceAccount()).isNull();
      assertThat(p.getSpec().getAutomountServiceAccountToken()).isEqualTo(automount);
      assertThat(p.getMetadata().getNamespace()).isEqualTo("team-a");
      // nothing that would widen what the pod may do on its node
      assertThat(p.getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(p.getSpec().getHostPID()).isNotEqualTo(Boolean.TRUE);
      assertThat(p.getSpec().getContainers()).allSatisfy(c -> assertThat(c.getSecurityContext() == null
          || !Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())).isTrue());
    }
  }
}
