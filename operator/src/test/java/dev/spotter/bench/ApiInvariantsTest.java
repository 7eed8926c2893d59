package dev.spotter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CheckpointRef;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit of the API server's commit history finds every broken promise it is meant to find, and only those. */
class ApiInvariantsTest {
  /** Checkpoints in the workload's order: ck-1 older than ck-2 older than ck-3. */
  private final ApiInvariants audit = new ApiInvariants((ns, job, id) -> List.of("ck-1", "ck-2", "ck-3").indexOf(id));

  private static String node(String name) {
    return Serialization.asJson(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build());
  }

  private static String pod(String name, String job, int attempt, int rank, String node, String phase, String resumeFrom) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
        .addToLabels("spotter.dev/kind", "TrainingJob").addToLabels("spotter.dev/job", job)
        .addToLabels("spotter.dev/attempt", Integer.toString(attempt)).addToLabels("spotter.dev/rank", Integer.toString(rank))
        .addToAnnotations("spotter.dev/node", node).endMetadata()
        .withNewSpec().addNewContainer().withName("worker").endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus();
    Pod p = b.build();
    if (resumeFrom != null) {
      p.getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("SPOTTER_RESUME_FROM", resumeFrom, null));
    }
    return Serialization.asJson(p);
  }

  private static String job(String name, int attempt, String lastCheckpoint) {
    TrainingJob tj = TrainingJobs.named(name).build();
    TrainingJobStatus st = new TrainingJobStatus();
    st.setPhase(JobPhase.Running);
    st.setAttempt(attempt);
    if (lastCheckpoint != null) {
      CheckpointRef ref = new CheckpointRef();
      ref.setId(lastCheckpoint);
      st.setLastCheckpoint(ref);
    }
    tj.setStatus(st);
    return Serialization.asJson(tj);
  }

  @Test
  void twoLivePodsOfOneRankAreADuplicateButAPodOnAVanishedNodeIsNotLive() {
    audit.committed(null, node("n1"));
    audit.committed(null, node("n2"));
    audit.committed(null, pod("a-1-0", "a", 1, 0, "n1", "Running", null));
    // the node of attempt 1 is deleted first: its pod can no longer run, the replacement is fine
    audit.committed(node("n1"), null);
    audit.committed(null, pod("a-2-0", "a", 2, 0, "n2", "Pending", null));
    assertThat(audit.duplicateRanks()).isEmpty();

    audit.committed(null, pod("b-1-0", "b", 1, 0, "n2", "Running", null));
    audit.committed(null, pod("b-1-1", "b", 1, 1, "n2", "Running", null));
    assertThat(audit.duplicateRanks()).as("different ranks").isEmpty();
    // the old pod ended before the new one came: fine; then one more while a live one runs: a duplicate
    audit.committed(pod("b-1-0", "b", 1, 0, "n2", "Running", null), pod("b-1-0", "b", 1, 0, "n2", "Failed", null));
    audit.committed(null, pod("b-2-0", "b", 2, 0, "n2", "Pending", null));
    assertThat(audit.duplicateRanks()).isEmpty();
    audit.committed(null, pod("b-2-1", "b", 2, 1, "n2", "Pending", null));
    assertThat(audit.duplicateRanks()).containsExactly("default/b/1");
  }

  @Test
  void aCheckpointThatVanishesOrGoesBackIsLostAndSoIsAPodResumingFromAnotherOne() {
    audit.committed(null, job("a", 1, null));
    audit.committed(job("a", 1, null), job("a", 1, "ck-1"));
    audit.committed(job("a", 1, "ck-1"), job("a", 2, "ck-2"));
    audit.committed(null, pod("a-2-0", "a", 2, 0, "n", "Pending", "ck-2"));
    assertThat(audit.checkpointLosses()).isEmpty();
    assertThat(audit.resumedFrom("default/a", 2)).isEqualTo("ck-2");

    audit.committed(null, pod("a-2-1", "a", 2, 1, "n", "Pending", "ck-1"));
    assertThat(audit.checkpointLosses()).hasSize(1).first().asString().startsWith("default/a: pod a-2-1").contains("ck-1", "ck-2");
    audit.committed(job("a", 2, "ck-2"), job("a", 2, "ck-1"));
    assertThat(audit.checkpointLosses()).hasSize(2).anyMatch(l -> l.startsWith("default/a: lastCheckpoint went back from ck-2 to ck-1"));
    audit.committed(job("a", 2, "ck-1"), job("a", 3, null));
    assertThat(audit.checkpointLosses()).hasSize(3).anyMatch(l -> l.startsWith("default/a: lastCheckpoint ck-1 vanished"));
    // a newer one replacing an older one is no loss
    audit.committed(job("a", 3, null), job("a", 3, "ck-3"));
    assertThat(audit.checkpointLosses()).hasSize(3);
    assertThat(audit.jobs().get("default/a").attempt()).isEqualTo(3);
  }
}
