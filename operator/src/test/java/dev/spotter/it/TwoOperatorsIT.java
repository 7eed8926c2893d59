package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.IndexedCrudDispatcher;
import dev.spotter.operator.SpotterOperator;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.RankWatch;
import dev.spotter.testing.ResponseCounter;
import dev.spotter.testing.StatusAudit;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators without leader election on one API server (a misconfigured install, or a split
 * brain while a Lease changes hands) run the same jobs through placement, a user failure, a
 * notice, checkpoint and move, and completion. Their decisions race; the resourceVersion
 * precondition on every status write lets only one of them advance an attempt, and pods are
 * only ever created for the attempt recorded in status.
 */
class TwoOperatorsIT {
  private static final int JOBS = 8;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final ResponseCounter api = new ResponseCounter(new IndexedCrudDispatcher());
  private OperatorFixture fx;
  private KubernetesClient secondClient;
  private SpotterOperator second;
  private RankWatch ranks;
  private StatusAudit audit;

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    if (secondClient != null) {
      secondClient.close();
    }
    ranks.close();
    audit.close();
    fx.close();
  }

  private List<Pod> running(String job) {
    return fx.podsOf(job).stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
  }

  private List<String> jobs() {
    return IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
  }

  private boolean allRunningAt(int minAttempt) {
    return jobs().stream().allMatch(j -> {
      TrainingJob tj = fx.training(j);
      return tj.getStatus() != null && tj.getStatus().attempt() >= minAttempt && running(j).size() == 2
          && running(j).stream().allMatch(p -> p.getMetadata().getLabels().get("spotter.dev/attempt")
              .equals(Integer.toString(tj.getStatus().attempt())));
    });
  }

  /** Each job's phase, attempt, reason and pods, for a failure message. */
  private String state() {
    StringBuilder b = new StringBuilder();
    for (String j : jobs()) {
      TrainingJob tj = fx.training(j);
      var st = tj.getStatus();
      b.append(j).append(": ").append(st == null ? "no status" : st.getPhase() + " attempt " + st.getAttempt() + " "
          + st.getReason() + " (" + st.getMessage() + ")");
      fx.podsOf(j).forEach(p -> b.append("\n    ").append(p.getMetadata().getName()).append(" ")
          .append(p.getStatus() == null ? "-" : p.getStatus().getPhase()).append(" on ").append(p.getSpec().getNodeName())
          .append(p.getMetadata().getDeletionTimestamp() == null ? "" : " terminating"));
      b.append('\n');
    }
    return b.toString();
  }

  private void awaitState(java.util.concurrent.Callable<Boolean> done) {
    try {
      await().atMost(Duration.ofSeconds(60)).until(done);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("timed out; jobs now:\n" + state(), e);
    }
  }

  @Test
  void twoOperatorsWithoutLeaderElectionNeverRunTwoPodsForOneRankAndEveryJobCompletes() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(api)).threePools(4);
    ranks = new RankWatch(fx.client());
    audit = new StatusAudit(fx.client());
    fx.startOperator();
    secondClient = new KubernetesClientBuilder().withConfig(fx.client().getConfiguration()).build();
    SpotterConfig config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "4")).with(dev.spotter.demo.EmbeddedApiServer.OPERATOR_OPTIONS);
    second = new SpotterOperator(secondClient, config, clock).withCheckpointClient(fx.checkpoints()).start();

    jobs().forEach(j -> fx.create(TrainingJobs.named(j).workers(2).gpus(4).httpCheckpoint(20).maxRestarts(3).maxSpotWait(0).build()));
    awaitState(() -> allRunningAt(1));

    // a user failure: the job restarts as a new attempt (counted against maxRestarts)
    Pod failing = running("job-0").get(0);
    fx.kubelet().setPhase("default", failing.getMetadata().getName(), "Failed", null, 1);
    // a notice on every node of one spot pool: every gang there checkpoints and moves
    fx.client().nodes().withLabel("spotter.dev/node-group", "spot-a").list().getItems()
        .forEach(n -> fx.taint(n.getMetadata().getName(), "cloud.google.com/impending-node-termination", "true", "NoSchedule"));
    awaitState(() -> allRunningAt(1)
        && fx.training("job-0").getStatus().attempt() >= 2
        && jobs().stream().allMatch(j -> running(j).stream().noneMatch(p -> p.getSpec().getNodeName().startsWith("spot-a"))));
    assertThat(fx.training("job-0").getStatus().getRestarts()).isEqualTo(1);

    // the workers finish
    for (String j : jobs()) {
      for (Pod p : running(j)) {
        fx.kubelet().setPhase("default", p.getMetadata().getName(), "Succeeded", null, 0);
      }
    }
    awaitState(() -> jobs().stream()
        .allMatch(j -> fx.training(j).getStatus().getPhase() == JobPhase.Succeeded));

    // the two really raced: some status writes lost to the precondition, some pod creations found the pod there
    assertThat(api.count("409 PUT /apis/spotter.dev")).isPositive();
    assertThat(api.count("409 POST /api/v1/namespaces/default/pods")).isPositive();
    assertThat(ranks.changes()).isGreaterThan(4L * JOBS);
    assertThat(ranks.duplicates()).isEmpty();
    assertThat(audit.versions()).isGreaterThan(4L * JOBS);
    assertThat(audit.violations()).isEmpty();
    for (String j : jobs()) {
      TrainingJob tj = fx.training(j);
      // the pods that finished are those of the attempt status records, one per rank
      assertThat(fx.podsOf(j).stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
          .map(p -> p.getMetadata().getName()).sorted().toList())
          .containsExactly(j + "-" + tj.getStatus().getAttempt() + "-0", j + "-" + tj.getStatus().getAttempt() + "-1");
    }
  }
}
