package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.validation.CrdAdmission;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's jobs: bundled and example manifests, generated jobs, and how they are fitted to the demo. */
class DemoJobsTest {
  private static final CrdAdmission TRAINING = CrdAdmission.load(Path.of("..", "crds", "trainingjobs.spotter.dev.yaml"));
  private static final CrdAdmission INFERENCE = CrdAdmission.load(Path.of("..", "crds", "inferencejobs.spotter.dev.yaml"));

  private static void assertAdmitted(HasMetadata job) {
    CrdAdmission crd = job instanceof TrainingJob ? TRAINING : INFERENCE;
    var result = crd.create(Serialization.asYaml(job));
    assertThat(result.allowed()).as(job.getMetadata().getName() + ": " + result.errorLines()).isTrue();
  }

  @Test
  void theBundledManifestsAreValidTrainingAndInferenceJobs() {
    DemoJobs.Loaded loaded = DemoJobs.load(DemoJobs.BUNDLED);
    assertThat(loaded.jobs()).extracting(j -> j.getKind() + " " + j.getMetadata().getName()).containsExactly(
        "TrainingJob llm-pretrain", "TrainingJob vision-finetune", "TrainingJob eval-sweep", "InferenceJob chat-serving");
    assertThat(loaded.notes()).isEmpty();
    loaded.jobs().forEach(DemoJobsTest::assertAdmitted);
  }

  @Test
  void generatedJobsAreValidAndTheSameSeedGivesTheSameJobs() {
    List<DemoJobs.Arrival> a = DemoJobs.generate(12, 42, Duration.ofHours(30));
    List<DemoJobs.Arrival> b = DemoJobs.generate(12, 42, Duration.ofHours(30));
    List<DemoJobs.Arrival> c = DemoJobs.generate(12, 43, Duration.ofHours(30));
    assertThat(a).hasSize(12);
    assertThat(a.stream().map(x -> Serialization.asYaml(x.job()) + x.after()).toList())
        .isEqualTo(b.stream().map(x -> Serialization.asYaml(x.job()) + x.after()).toList())
        .isNotEqualTo(c.stream().map(x -> Serialization.asYaml(x.job()) + x.after()).toList());
    for (DemoJobs.Arrival x : a) {
      assertThat(x.after()).isBetween(Duration.ZERO, Duration.ofHours(30));
      assertThat(x.job().getSpec().getCheckpoint()).isNotNull();
      assertAdmitted(x.job());
    }
  }

  @Test
  void preparingAJobPutsTheWorkloadSettingsInItsEnvAndFitsItsGpuModel() {
    TrainingJob tj = (TrainingJob) DemoJobs.load(DemoJobs.BUNDLED).jobs().get(0);
    tj.getSpec().setGpuModel("NVIDIA-A100-SXM4-80GB");
    List<String> notes = new ArrayList<>();
    DemoJobs.prepare(tj, DemoFleet.GPU_MODEL, notes);
    assertThat(tj.getSpec().getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
        org.assertj.core.groups.Tuple.tuple(SimulatedWorkloads.ENV_WORK_HOURS, "30.0"),
        org.assertj.core.groups.Tuple.tuple(SimulatedWorkloads.ENV_CHECKPOINT_EVERY, "1800"));
    assertThat(tj.getSpec().getGpuModel()).isEqualTo(DemoFleet.GPU_MODEL);
    assertThat(notes).singleElement().asString().contains("NVIDIA-A100-SXM4-80GB");
    assertAdmitted(tj); // the added env is still a valid spec
  }

  @Test
  void aDirectoryContributesOnlyItsSpotterJobsAndReportsFilesItCannotRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("jobs.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x}
        ---
        apiVersion: spotter.dev/v1alpha1
        kind: GpuPool
        metadata: {name: spot}
        spec: {nodeSelector: {a: b}}
        ---
        apiVersion: spotter.dev/v1alpha1
        kind: InferenceJob
        metadata: {name: serve}
        spec: {image: img:1, replicas: 3}
        """);
    Files.createDirectories(dir.resolve("simulator"));
    Files.writeString(dir.resolve("simulator/workload.yaml"), "jobs:\n  - name: a\n    gpus: 8\n");
    Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");
    DemoJobs.Loaded loaded = DemoJobs.load(dir.toString());
    assertThat(loaded.jobs()).singleElement().isInstanceOf(InferenceJob.class);
    assertThat(loaded.notes()).singleElement().asString().contains("broken.yaml");
    HasMetadata job = DemoJobs.prepare(loaded.jobs().get(0), DemoFleet.GPU_MODEL, new ArrayList<>());
    assertThat(job.getMetadata().getNamespace()).isEqualTo("default");
  }
}
