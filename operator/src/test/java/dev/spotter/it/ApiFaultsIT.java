package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.bench.ApiInvariants;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.FaultInjectingDispatcher;
import dev.spotter.demo.IndexedCrudDispatcher;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API faults are retried, never terminal: with faults injected in front of the API server (for
 * the operator and the simulated kubelet alike), every job still starts, survives a notice by
 * checkpointing and moving, and completes; no rank ever has two live pods and no checkpoint is
 * lost, as the API server's own commit history shows.
 */
class ApiFaultsIT {
  private static final int JOBS = 6;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final IndexedCrudDispatcher store = new IndexedCrudDispatcher();
  private final ApiInvariants audit = new ApiInvariants((ns, job, id) -> -1);
  private final FaultInjectingDispatcher faults = new FaultInjectingDispatcher(store.onCommit(audit));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    faults.calm();
    fx.close();
  }

  @Test
  void conflictsAndServerErrorsOnEveryFifthWriteDelayButNeverStopJobs() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults)).threePools(3).startOperator();
    faults.failEvery(5); // from here on, every fifth write of the operator, the kubelet and the test fails
    placeNoticeAndComplete();
    assertThat(faults.faults()).isGreaterThan(10);
  }

  @Test
  void writesAnsweredAfterTheClientTimeoutAreRetriedAndJobsComplete() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults, Duration.ofSeconds(1))).threePools(3).startOperator();
    faults.timeoutEvery(5, Duration.ofMillis(1500)); // half of them applied with the answer lost, half never applied
    placeNoticeAndComplete();
    assertThat(faults.timeouts()).isGreaterThan(5);
  }

  @Test
  void watchesEndedWith410GoneAreRelistedAndTheOperatorCarriesOn() throws Exception {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults)).threePools(3).startOperator();
    int informers = faults.openWatches(); // operator and kubelet, all started
    var expire = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      expire.scheduleWithFixedDelay(faults::endWatchesWithGone, 0, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
      placeNoticeAndComplete(); // every step of it needs events that arrive on watches started after a 410
    } finally {
      expire.shutdownNow();
    }
    assertThat(faults.watchesGone()).isGreaterThan(5);
    // every informer lists and watches again (fabric8 backs off up to 32 s after 410s in a row)...
    await().atMost(Duration.ofSeconds(60)).until(() -> faults.openWatches() >= informers);
    long nodeLists = faults.reads("/api/v1/nodes");
    long jobLists = faults.reads("/apis/spotter.dev/v1alpha1/trainingjobs");
    // ...and after one more 410 for each, lists again (the operator's node and job informers among them)
    assertThat(faults.endWatchesWithGone()).isGreaterThanOrEqualTo(informers);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(faults.reads("/api/v1/nodes")).isGreaterThan(nodeLists);
      assertThat(faults.reads("/apis/spotter.dev/v1alpha1/trainingjobs")).isGreaterThan(jobLists);
    });
    // and sees what happens next
    fx.create(TrainingJobs.named("after").workers(2).gpus(2).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> running("after").size() == 2);
  }

  @Test
  void aFailedWriteOfTheMoveKeepsTheCheckpointTheGangCommitted() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(faults)).threePools(2).startOperator();
    fx.create(TrainingJobs.named("llm").workers(2).gpus(4).httpCheckpoint(20).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> running("llm").size() == 2);
    String node = running("llm").get(0).getSpec().getNodeName();
    // the ranks answer at once; the write that records the move to attempt 2 fails, after the old pods were deleted
    faults.failOnce(r -> "PUT".equals(r.getMethod()) && r.getPath().contains("/trainingjobs/llm/status")
        && new String(r.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"attempt\":2"));
    fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    // the clock stands still: no deadline ever passes, so only the answers already given can move the gang
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      TrainingJob tj = fx.training("llm");
      assertThat(tj.getStatus().getAttempt()).isEqualTo(2);
      assertThat(tj.getStatus().getLastCheckpoint().getSource()).isEqualTo("Notice");
      // the id the workers answered with (FakeCheckpointClient: "ckpt-" + request id), not just the request's
      assertThat(tj.getStatus().getLastCheckpoint().getId()).startsWith("ckpt-");
      assertThat(running("llm")).hasSize(2)
          .allMatch(p -> tj.getStatus().getLastCheckpoint().getId().equals(env(p, "SPOTTER_RESUME_FROM")));
    });
    assertThat(faults.faults()).as("the picked write failed").isEqualTo(1);
    assertThat(audit.checkpointLosses()).isEmpty();
    assertThat(audit.duplicateRanks()).isEmpty();
  }

  /** Six 2-rank jobs start, the jobs on one node get a notice and move, then every job completes. */
  private void placeNoticeAndComplete() {
    for (int i = 0; i < JOBS; i++) {
      TrainingJob job = TrainingJobs.named("job-" + i).workers(2).gpus(2).httpCheckpoint(20).build();
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> createOrFind(job));
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (int i = 0; i < JOBS; i++) {
        assertThat(running("job-" + i)).as("job-" + i).hasSize(2);
      }
    });
    // a notice under the same faults: checkpoint every rank, move the gang, resume from that checkpoint
    String node = running("job-0").get(0).getSpec().getNodeName();
    Set<String> onNode = read(() -> fx.client().pods().inNamespace("default").list().getItems()).stream()
        .filter(p -> node.equals(p.getSpec().getNodeName())).map(p -> p.getMetadata().getLabels().get("spotter.dev/job"))
        .collect(Collectors.toSet());
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      fx.client().nodes().withName(node).edit(n -> {
        if (n.getSpec().getTaints().stream().noneMatch(t -> "cloud.google.com/impending-node-termination".equals(t.getKey()))) {
          n.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.Taint("NoSchedule",
              "cloud.google.com/impending-node-termination", null, "true"));
        }
        return n;
      });
      return true;
    });
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (String job : onNode) {
        TrainingJob tj = read(() -> fx.training(job));
        assertThat(tj.getStatus().getAttempt()).as(job).isEqualTo(2);
        assertThat(tj.getStatus().getLastCheckpoint().getSource()).as(job).isEqualTo("Notice");
        List<Pod> pods = running(job);
        assertThat(pods).as(job).hasSize(2).noneMatch(p -> node.equals(p.getSpec().getNodeName()));
        assertThat(pods).as(job + " resumes from the checkpoint of the notice")
            .allMatch(p -> tj.getStatus().getLastCheckpoint().getId().equals(env(p, "SPOTTER_RESUME_FROM")));
      }
    });
    // every worker finishes; the kubelet reports it through the same faults
    for (int i = 0; i < JOBS; i++) {
      for (Pod p : running("job-" + i)) {
        fx.kubelet().setPhase("default", p.getMetadata().getName(), "Succeeded", null, 0);
      }
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (int i = 0; i < JOBS; i++) {
        String job = "job-" + i;
        assertThat(read(() -> fx.training(job)).getStatus().getPhase()).as(job).isEqualTo(JobPhase.Succeeded);
      }
    });
    for (int i = 0; i < JOBS; i++) {
      int n = i;
      assertThat(read(() -> fx.training("job-" + n)).getStatus().getRestarts()).as("faults never count as restarts").isNull();
    }
    assertThat(audit.duplicateRanks()).as("ranks that ever had two live pods").isEmpty();
    assertThat(audit.checkpointLosses()).isEmpty();
  }

  private boolean createOrFind(TrainingJob job) {
    try {
      fx.create(job);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 || fx.training(job.getMetadata().getName()) == null) {
        throw e; // a create whose answer was lost is there; anything else is tried again
      }
    }
    return true;
  }

  /** Reads go through the faults too (late answers): the test retries them as any client would. */
  private static <T> T read(java.util.function.Supplier<T> get) {
    for (int i = 0; ; i++) {
      try {
        return get.get();
      } catch (KubernetesClientException e) {
        if (i == 10) {
          throw e;
        }
      }
    }
  }

  private List<Pod> running(String job) {
    return read(() -> fx.podsOf(job)).stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  private static String env(Pod p, String name) {
    return p.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue).findFirst().orElse(null);
  }
}
