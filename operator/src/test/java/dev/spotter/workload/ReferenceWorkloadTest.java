package dev.spotter.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.reconcile.HttpCheckpointClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference workload against the operator's real HTTP checkpoint client, on 127.0.0.1. */
class ReferenceWorkloadTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> env(int port, long steps, String resumeFrom, Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("SPOTTER_JOB", "llm");
    env.put("SPOTTER_RANK", "0");
    env.put("SPOTTER_CHECKPOINT_PORT", Integer.toString(port));
    env.put("WORKLOAD_TOTAL_STEPS", Long.toString(steps));
    env.put("WORKLOAD_STEP_MILLIS", "5");
    env.put("WORKLOAD_CHECKPOINT_EVERY", "20");
    env.put("WORKLOAD_CHECKPOINT_MILLIS", "10");
    env.put("SPOTTER_CHECKPOINT_DIR", dir.toString());
    if (resumeFrom != null) {
      env.put("SPOTTER_RESUME_FROM", resumeFrom);
    }
    return env;
  }

  private static Pod pod(String ip) {
    return new PodBuilder().withNewMetadata().withName("llm-1-0").endMetadata().withNewStatus().withPodIP(ip).endStatus().build();
  }

  private static CheckpointSpec spec(int port) {
    CheckpointSpec cp = new CheckpointSpec();
    cp.setPort(port);
    return cp;
  }

  @Test
  void answersACheckpointRequestWithACommittedCheckpointAndReportsTheLatest() throws Exception {
    int port = freePort();
    HttpCheckpointClient client = new HttpCheckpointClient(Clock.systemUTC());
    try (ReferenceWorkload w = new ReferenceWorkload(ReferenceWorkload.Settings.fromEnv(env(port, 100_000, null, dir), "127.0.0.1"),
        Clock.systemUTC()).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> w.step() > 30);
      CheckpointReport r = client.request(pod("127.0.0.1"), spec(port), "llm-a1-1", Clock.systemUTC().instant().plusSeconds(5))
          .get(5, TimeUnit.SECONDS);
      assertThat(r.id()).startsWith("llm-step-");
      assertThat(r.step()).isGreaterThan(30);
      assertThat(Files.readString(dir.resolve(r.id() + ".json"))).contains("\"step\":" + r.step());
      Optional<CheckpointReport> latest = client.latest(pod("127.0.0.1"), spec(port)).get(5, TimeUnit.SECONDS);
      assertThat(latest).isPresent();
      assertThat(latest.get().step()).isGreaterThanOrEqualTo(r.step());
    }
  }

  @Test
  void resumesFromTheCheckpointItIsGivenAndFinishes() throws Exception {
    int port = freePort();
    try (ReferenceWorkload w = new ReferenceWorkload(
        ReferenceWorkload.Settings.fromEnv(env(port, 120, "llm-step-100", dir), "127.0.0.1"), Clock.systemUTC()).start()) {
      assertThat(w.step()).isGreaterThanOrEqualTo(100);
      assertThat(w.await(Duration.ofSeconds(5))).isTrue();
      assertThat(w.step()).isEqualTo(120);
      assertThat(w.latest().id()).isEqualTo("llm-step-120"); // periodic checkpoint at step 120
    }
  }

  @Test
  void unreachableWorkerFailsTheRequestBeforeTheDeadline() throws Exception {
    int port = freePort(); // nothing listens there
    HttpCheckpointClient client = new HttpCheckpointClient(Clock.systemUTC());
    var f = client.request(pod("127.0.0.1"), spec(port), "x", Clock.systemUTC().instant().plusSeconds(3));
    assertThat(f).failsWithin(Duration.ofSeconds(5));
    assertThat(client.request(pod(null), spec(port), "x", Clock.systemUTC().instant().plusSeconds(3))).isCompletedExceptionally();
  }
}
