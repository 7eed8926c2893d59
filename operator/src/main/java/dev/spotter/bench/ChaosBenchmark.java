package dev.spotter.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fault-injection scenarios against the real operator on the in-process API (see
 * {@link ChaosCluster}); each scenario runs in a fresh world, and every promise is measured on the
 * API server's own commit history ({@link ApiInvariants}) and the workers' answers, not on what
 * the operator reports.
 */
public final class ChaosBenchmark {
  /** The scenarios, in the order they run; names are a stable interface (--scenario). */
  public enum Scenario {
    API_ERRORS("api-errors", "409 Conflict or 500 on every 5th write (operator, kubelet and the run's own); one spot node gets a notice mid-run"),
    TIMEOUTS("timeouts", "every 6th write answered 1.5 s late against a 1 s client request timeout (half of them applied, half not);"
        + " one spot node gets a notice mid-run"),
    WATCH_GONE("watch-gone", "every watch ended with 410 Gone every second, so every informer relists; one spot node gets a notice mid-run"),
    OPERATOR_RESTART("operator-restart", "the operator is stopped and a new one started three times: during admission, right"
        + " after a notice, and while gangs move"),
    PREEMPTION_STORM("preemption-storm", "three times as many 1-rank jobs; every node of the two busiest of the three spot"
        + " zones gets a termination notice at once"),
    ZONE_LOSS("zone-loss", "every node of the busiest of the three spot zones (a third of all spot capacity) vanishes at once,"
        + " without notice");

    private final String id;
    private final String what;

    Scenario(String id, String what) {
      this.id = id;
      this.what = what;
    }

    public String id() {
      return id;
    }

    public String what() {
      return what;
    }

    public static Scenario of(String id) {
      for (Scenario s : values()) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown scenario " + id + "; known: " + String.join(", ", ids()));
    }

    public static List<String> ids() {
      return java.util.Arrays.stream(values()).map(Scenario::id).toList();
    }
  }

  /** One scenario's figures; field names are a stable interface. */
  public record ScenarioResult(String scenario, String fault_kind, long faults, int jobs, int jobs_completed, int jobs_lost,
      int checkpoints_lost, int duplicate_pods, int stuck_jobs, int jobs_moved, int restarts_charged, long api_commits,
      double seconds, List<String> violations) {}

  /** The whole run; field names are a stable interface. */
  public record Result(int scenarios, long faults_injected, int jobs, int jobs_completed, int jobs_lost, int checkpoints_lost,
      int duplicate_pods, int stuck_jobs, int restarts_charged, double seconds, List<ScenarioResult> per_scenario) {}

  private final List<Scenario> scenarios;
  private final int jobs;
  private final Duration timeout;

  /**
   * @param scenarios which to run, in order
   * @param jobs jobs per scenario (the storm runs three times as many single-rank jobs)
   * @param timeout how long a scenario may take before unfinished jobs count against it
   */
  public ChaosBenchmark(List<Scenario> scenarios, int jobs, Duration timeout) {
    this.scenarios = scenarios;
    this.jobs = jobs;
    this.timeout = timeout;
  }

  public Result run() throws Exception {
    long t0 = System.nanoTime();
    List<ScenarioResult> out = new ArrayList<>();
    for (Scenario s : scenarios) {
      out.add(run(s));
    }
    return new Result(out.size(), out.stream().mapToLong(ScenarioResult::faults).sum(),
        out.stream().mapToInt(ScenarioResult::jobs).sum(), out.stream().mapToInt(ScenarioResult::jobs_completed).sum(),
        out.stream().mapToInt(ScenarioResult::jobs_lost).sum(), out.stream().mapToInt(ScenarioResult::checkpoints_lost).sum(),
        out.stream().mapToInt(ScenarioResult::duplicate_pods).sum(), out.stream().mapToInt(ScenarioResult::stuck_jobs).sum(),
        out.stream().mapToInt(ScenarioResult::restarts_charged).sum(), round((System.nanoTime() - t0) / 1e9), out);
  }

  private ScenarioResult run(Scenario s) throws Exception {
    long t0 = System.nanoTime();
    Duration requestTimeout = s == Scenario.TIMEOUTS ? Duration.ofSeconds(1) : null;
    // 8-GPU nodes per pool: room for every job on spot and on-demand with some to spare; the storm
    // runs three times as many 1-rank jobs, so it gets three quarters of a node per job and pool
    int nodesPerPool = s == Scenario.PREEMPTION_STORM ? Math.max(2, (3 * jobs + 3) / 4) : Math.max(2, (jobs + 3) / 4);
    ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chaos-" + s.id());
      t.setDaemon(true);
      return t;
    });
    try (ChaosCluster c = new ChaosCluster(nodesPerPool, requestTimeout).startOperator()) {
      long faults;
      String kind;
      List<String> names;
      switch (s) {
        case API_ERRORS -> {
          c.faults().failEvery(5);
          names = c.submit("job", jobs, 2, 2, 0.75);
          noticeOneBusyNode(c, names);
          kind = "http_409_500";
        }
        case TIMEOUTS -> {
          c.faults().timeoutEvery(6, Duration.ofMillis(1500));
          names = c.submit("job", jobs, 2, 2, 0.75);
          noticeOneBusyNode(c, names);
          kind = "request_timeout";
        }
        case WATCH_GONE -> {
          chaos.scheduleWithFixedDelay(c.faults()::endWatchesWithGone, 1, 1, TimeUnit.SECONDS);
          names = c.submit("job", jobs, 2, 2, 0.75);
          noticeOneBusyNode(c, names);
          kind = "watch_410_gone";
        }
        case OPERATOR_RESTART -> {
          names = c.submit("job", jobs, 2, 2, 0.75);
          Thread.sleep(300);
          c.restartOperator(); // while jobs are being admitted
          noticeOneBusyNode(c, names);
          Thread.sleep(150);
          c.restartOperator(); // right after the notice: the rescue may be recorded but not yet asked or answered
          Thread.sleep(800);
          c.restartOperator(); // while the gang moves and the periodic checkpoints are polled
          kind = "operator_restart";
        }
        case PREEMPTION_STORM -> {
          names = c.submit("storm", jobs * 3, 1, 2, 0.75);
          awaitRunning(c, names.size());
          for (String pool : List.of(ChaosCluster.SPOT_POOLS[0], ChaosCluster.SPOT_POOLS[1])) {
            c.nodesOf(pool).parallelStream().forEach(c::notice);
          }
          kind = "node_notice";
        }
        case ZONE_LOSS -> {
          names = c.submit("job", jobs, 2, 2, 0.75);
          awaitRunning(c, names.size());
          Thread.sleep(1200); // let periodic checkpoints be recorded first
          c.nodesOf(ChaosCluster.SPOT_POOLS[0]).parallelStream().forEach(c::removeNode);
          kind = "node_lost";
        }
        default -> throw new IllegalStateException(s.toString());
      }
      c.awaitCompletion(names, timeout.minusNanos(System.nanoTime() - t0)); // what did not finish is measured below
      chaos.shutdownNow();
      c.faults().calm();
      faults = switch (s) {
        case API_ERRORS -> c.faults().faults();
        case TIMEOUTS -> c.faults().timeouts();
        case WATCH_GONE -> c.faults().watchesGone();
        case OPERATOR_RESTART -> c.restarts();
        case PREEMPTION_STORM -> 2L * c.nodesOf(ChaosCluster.SPOT_POOLS[0]).size();
        case ZONE_LOSS -> c.nodesOf(ChaosCluster.SPOT_POOLS[0]).size();
      };
      return measure(s, kind, faults, names, c, t0);
    } finally {
      chaos.shutdownNow();
    }
  }

  /** Waits until the simulated kubelet runs {@code pods} pods, at most 30 s. */
  private static void awaitRunning(ChaosCluster c, int pods) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      long running = ChaosCluster.retry(() -> c.client().pods().inNamespace("default").list().getItems().stream()
          .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count());
      if (running >= pods) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** Once the first job's gang runs, puts a notice on its node; returns that node (null if it never ran). */
  private static String noticeOneBusyNode(ChaosCluster c, List<String> names) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      List<String> nodes = c.nodesOfJob(names.get(0));
      if (!nodes.isEmpty() && nodes.get(0).startsWith("spot-")) {
        Thread.sleep(1000); // a periodic checkpoint first, so the notice has one to improve on
        c.notice(nodes.get(0));
        return nodes.get(0);
      }
      if (!nodes.isEmpty()) {
        // the first job landed on on-demand: take the first spot node that runs anything
        for (String pool : ChaosCluster.SPOT_POOLS) {
          for (String n : c.nodesOf(pool)) {
            boolean busy = ChaosCluster.retry(() -> !c.client().pods().inNamespace("default").withField("spec.nodeName", n).list()
                .getItems().isEmpty());
            if (busy) {
              Thread.sleep(1000);
              c.notice(n);
              return n;
            }
          }
        }
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static ScenarioResult measure(Scenario s, String kind, long faults, List<String> names, ChaosCluster c, long t0) {
    ApiInvariants inv = c.invariants();
    Map<String, ApiInvariants.JobState> states = inv.jobs();
    List<String> violations = new ArrayList<>();
    int completed = 0;
    int lost = 0;
    int stuck = 0;
    int moved = 0;
    for (String n : names) {
      ApiInvariants.JobState js = states.get("default/" + n);
      if (js == null || js.deleted() || "Failed".equals(js.phase())) {
        lost++;
        violations.add("lost: " + n + (js == null ? " never seen" : " " + js.phase() + " " + js.reason()));
        continue;
      }
      if (js.attempt() > 1) {
        moved++;
      }
      if ("Succeeded".equals(js.phase())) {
        completed++;
      } else if (!(("Pending".equals(js.phase()) || "Restarting".equals(js.phase())) && !js.reason().isEmpty())) {
        stuck++;
        violations.add("stuck: " + n + " " + js.phase() + " " + js.reason() + " (attempt " + js.attempt() + "); pods: " + pods(c, n) + "; workload: " + c.workload(n));
      }
    }
    List<String> losses = new ArrayList<>(inv.checkpointLosses());
    losses.addAll(unusedCommits(c));
    violations.addAll(losses);
    losses.stream().map(l -> l.substring(0, l.indexOf(':'))).distinct().forEach(j -> violations.add("checkpoints the workload of "
        + j + " wrote, in order: " + c.workers().store("default", j.substring(j.indexOf('/') + 1))));
    inv.duplicateRanks().forEach(r -> violations.add("duplicate: two live pods for rank " + r));
    int charged = (int) names.stream().filter(n -> {
      var tj = ChaosCluster.retry(() -> c.client().resources(dev.spotter.api.TrainingJob.class).inNamespace("default").withName(n).get());
      return tj != null && tj.getStatus() != null && tj.getStatus().restarts() > 0;
    }).count();
    return new ScenarioResult(s.id(), kind, faults, names.size(), completed, lost, losses.size(), inv.duplicateRanks().size(),
        stuck, moved, charged, inv.commits(), round((System.nanoTime() - t0) / 1e9), violations);
  }

  private static String pods(ChaosCluster c, String job) {
    return ChaosCluster.retry(() -> c.client().pods().inNamespace("default").withLabel("spotter.dev/job", job).list().getItems())
        .stream().map(p -> p.getMetadata().getName() + " " + (p.getStatus() == null ? "no status" : p.getStatus().getPhase())
            + (p.getSpec().getNodeName() == null ? "" : " on " + p.getSpec().getNodeName()))
        .sorted().reduce((a, b) -> a + ", " + b).orElse("none");
  }

  /**
   * Checkpoints a whole gang committed before the deadline the operator gave it, whose job's next
   * attempt then resumed from something older (or from nothing).
   */
  private static List<String> unusedCommits(ChaosCluster c) {
    List<String> out = new ArrayList<>();
    Map<String, List<ChaosWorkers.Answer>> byRequest = new java.util.TreeMap<>();
    c.workers().answers().forEach(a -> byRequest.computeIfAbsent(a.requestId(), k -> new ArrayList<>()).add(a));
    for (var e : byRequest.entrySet()) {
      List<ChaosWorkers.Answer> as = e.getValue();
      ChaosWorkers.Answer first = as.get(0);
      var spec = ChaosCluster.retry(() -> c.client().resources(dev.spotter.api.TrainingJob.class).inNamespace(first.namespace())
          .withName(first.job()).get());
      int workers = spec == null ? 1 : spec.getSpec().workers();
      List<ChaosWorkers.Answer> inTime = as.stream().filter(a -> !a.at().isAfter(a.deadline())).toList();
      if (inTime.stream().map(ChaosWorkers.Answer::rank).distinct().count() < workers) {
        continue; // the gang did not commit in time: the operator may rightly resume from an older one
      }
      int attempt = attemptOf(e.getKey());
      String next = c.invariants().resumedFrom(first.namespace() + "/" + first.job(), attempt + 1);
      if (next == null) {
        continue; // no next attempt (the job finished where it was)
      }
      long oldest = inTime.stream().mapToLong(a -> c.workers().order(a.namespace(), a.job(), a.checkpointId())).min().orElse(-1);
      long used = next.isEmpty() ? -1 : c.workers().order(first.namespace(), first.job(), next);
      if (used < oldest) {
        out.add(first.namespace() + "/" + first.job() + ": the gang committed " + inTime.get(0).checkpointId() + " for request " + e.getKey()
            + " in time, but attempt " + (attempt + 1) + " resumed from " + (next.isEmpty() ? "nothing" : next));
      }
    }
    return out;
  }

  /** The attempt a request id was made for: ids read {@code <job>-a<attempt>-<seconds>}. */
  static int attemptOf(String requestId) {
    int dash = requestId.lastIndexOf('-');
    int a = requestId.lastIndexOf("-a", dash - 1);
    return Integer.parseInt(requestId.substring(a + 2, dash));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
