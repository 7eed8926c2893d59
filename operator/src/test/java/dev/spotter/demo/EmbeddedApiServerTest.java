package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The embedded API server keeps the promises of a real one that Spotter relies on. */
class EmbeddedApiServerTest {

  @Test
  void aStatusWriteNamingAnOlderResourceVersionIsAConflictAsOnARealApiServer() {
    try (EmbeddedApiServer api = new EmbeddedApiServer()) {
      var jobs = api.client().resources(TrainingJob.class).inNamespace("default");
      TrainingJob created = jobs.resource(TrainingJobs.named("a").workers(1).gpus(1).build()).create();
      TrainingJobStatus st = new TrainingJobStatus();
      st.setPhase(JobPhase.Pending);
      created.setStatus(st);
      TrainingJob first = jobs.resource(created).updateStatus();
      assertThat(first.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());

      st.setPhase(JobPhase.Running);
      assertThatThrownBy(() -> jobs.resource(created).updateStatus()) // still at the first resourceVersion
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(jobs.withName("a").get().getStatus().getPhase()).isEqualTo(JobPhase.Pending);

      first.getStatus().setPhase(JobPhase.Running);
      assertThat(jobs.resource(first).updateStatus().getStatus().getPhase()).isEqualTo(JobPhase.Running);
    }
  }
}
