package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotter.api.validation.AdmissionResult;
import dev.spotter.api.validation.CrdAdmission;
import dev.spotter.checkpoint.CheckpointReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The E2E suite's workload, checked where no cluster is: its manifests pass the committed CRDs,
 * and its scripts keep the checkpoint contract under a local sh (checkpoint on request, stop on
 * SIGTERM, resume from the id they reported, finish). Runs in every build, so the E2E suite does
 * not find out about a broken workload only on a machine with Docker.
 */
class WorkloadTest {
  private static final Path SH = Path.of("/bin/sh");

  @TempDir
  Path state;

  @Test
  void theSuitesManifestsAreAdmittedByTheCommittedCrds() {
    CrdAdmission crd = CrdAdmission.load(Path.of("..", "crds", "trainingjobs.spotter.dev.yaml"));
    List<Workload> used = List.of(
        Workload.job("resnet", "e2e").gpus(2).steps(40).execCheckpoints(),
        Workload.job("gang", "e2e").workers(2).gpus(1).steps(600),
        Workload.job("owned", "e2e").steps(3).maxRestarts(2),
        Workload.job("fixed", "e2e").gpuResource("example.com/no-such-gpu"));
    for (Workload w : used) {
      AdmissionResult r = crd.create(w.yaml());
      assertThat(r.allowed()).as("%s\n%s", r, w.yaml()).isTrue();
    }
    JsonNode spec = crd.create(used.get(0).yaml()).object().get("spec");
    assertThat(spec.at("/checkpoint/trigger").asText()).isEqualTo("Exec");
    assertThat(spec.at("/checkpoint/command/2").asText()).isEqualTo("eval \"$CHECKPOINT_SCRIPT\"");
    assertThat(spec.at("/command/2").asText()).isEqualTo("eval \"$TRAIN_SCRIPT\"");
    assertThat(spec.at("/env/1/valueFrom/configMapKeyRef/key").asText()).isEqualTo("train.sh");
    assertThat(spec.at("/gpusPerWorker").asInt()).isEqualTo(2);
  }

  @Test
  void theScriptsCheckpointOnRequestStopOnSigtermResumeFromTheReportedIdAndFinish() throws Exception {
    assumeTrue(Files.isExecutable(SH), "needs /bin/sh");
    Path log1 = state.resolve("attempt-1.log");
    Process first = train(Map.of("TOTAL_STEPS", "600", "SPOTTER_ATTEMPT", "1"), log1);
    Path step = state.resolve("step");
    await("two steps").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(step) && Integer.parseInt(read(step).trim()) >= 2);

    Process ck = sh("eval \"$CHECKPOINT_SCRIPT\"", Map.of("CHECKPOINT_SCRIPT", Workload.script("checkpoint.sh"),
        "WORKLOAD_LOG", state.resolve("checkpoint-log").toString()), state.resolve("checkpoint.out"));
    assertThat(ck.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ck.exitValue()).isZero();
    CheckpointReport report = CheckpointReport.parse(read(state.resolve("checkpoint.out"))).orElseThrow();
    assertThat(report.id()).isEqualTo("ckpt-" + report.step());
    assertThat(report.step()).isGreaterThanOrEqualTo(2);
    assertThat(report.time()).isNotNull();

    first.destroy(); // SIGTERM, as the kubelet sends when Spotter deletes the pod
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(143);
    assertThat(read(log1)).contains("fresh start (attempt 1").contains("SIGTERM at step");

    long from = report.step();
    Path log2 = state.resolve("attempt-2.log");
    Process second = train(Map.of("TOTAL_STEPS", Long.toString(from + 2), "SPOTTER_ATTEMPT", "2",
        "SPOTTER_RESUME_FROM", report.id(), "SPOTTER_RESUME_STEP", Long.toString(from)), log2);
    assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    String out = read(log2);
    assertThat(out).contains("resumed from " + report.id() + " at step " + from).contains("done at step " + (from + 2));
    assertThat(Jobs.steps(out)).containsExactly((int) from + 1, (int) from + 2);

    Process lost = train(Map.of("TOTAL_STEPS", "3", "SPOTTER_ATTEMPT", "3", "SPOTTER_RESUME_FROM", "s3://bucket/latest"),
        state.resolve("attempt-3.log"));
    assertThat(lost.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lost.exitValue()).as("an id it cannot load is a user failure").isEqualTo(2);
  }

  private Process train(Map<String, String> env, Path log) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("TRAIN_SCRIPT", Workload.script("train.sh"));
    all.put("SPOTTER_POOL", "local");
    all.put("SPOTTER_CAPACITY_TYPE", "Spot");
    return sh("eval \"$TRAIN_SCRIPT\"", all, log);
  }

  private Process sh(String command, Map<String, String> env, Path output) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(SH.toString(), "-c", command).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("WORKLOAD_STATE_DIR", state.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
