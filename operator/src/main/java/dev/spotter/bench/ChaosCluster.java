package dev.spotter.bench;

import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.FaultInjectingDispatcher;
import dev.spotter.demo.IndexedCrudDispatcher;
import dev.spotter.demo.SimClock;
import dev.spotter.demo.SimulatedKubelet;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.demo.SimulatedWorkloads;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One chaos run's world: the embedded API server behind a {@link FaultInjectingDispatcher}, an
 * {@link ApiInvariants} auditing every commit, simulated GPU nodes in three spot zones and one
 * on-demand pool, the simulated kubelet, training workloads that progress and checkpoint in
 * simulated time ({@value #SPEED}x real time), and the real operator. The run's own writes
 * (submitting jobs, notices, removing nodes) retry through the faults as a user's tooling would.
 */
final class ChaosCluster implements AutoCloseable {
  /** Simulated time runs this much faster than real time: one simulated hour of work takes 6 s. */
  static final double SPEED = 600;
  /** Spot pools, cheapest first. */
  static final String[] SPOT_POOLS = {"spot-a", "spot-b", "spot-c"};
  static final String ON_DEMAND = "on-demand";

  private final FaultInjectingDispatcher faults;
  private final ApiInvariants invariants;
  private final EmbeddedApiServer api;
  private final SimulatedKubelet kubelet;
  private final SimulatedWorkloads workloads;
  private final ChaosWorkers workers;
  private final SpotterConfig config;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "chaos-loop");
    t.setDaemon(true);
    return t;
  });
  private final int nodesPerPool;
  private SpotterOperator operator;
  private int restarts;

  ChaosCluster(int nodesPerPool, Duration requestTimeout) {
    this.nodesPerPool = nodesPerPool;
    IndexedCrudDispatcher store = new IndexedCrudDispatcher();
    faults = new FaultInjectingDispatcher(store);
    SimClock simClock = new SimClock(Clock.systemUTC(), Instant.parse("2026-01-01T00:00:00Z"), SPEED).start();
    ChaosWorkers[] w = new ChaosWorkers[1];
    invariants = new ApiInvariants((ns, job, id) -> w[0] == null ? -1 : w[0].order(ns, job, id));
    store.onCommit(invariants);
    api = new EmbeddedApiServer(faults, requestTimeout);
    kubelet = new SimulatedKubelet(api.client());
    workloads = new SimulatedWorkloads(simClock, (ns, pod) -> kubelet.setPhase(ns, pod, "Succeeded", null, 0));
    workers = new ChaosWorkers(workloads, Duration.ofMillis(200), Clock.systemUTC());
    w[0] = workers;
    kubelet.withRunner(workloads).start();
    for (int i = 0; i < SPOT_POOLS.length; i++) {
      // spot-a is the cheapest, so it fills first: the storm and the zone loss hit the busy zones
      addPool(SPOT_POOLS[i], CapacityType.Spot, "zone-" + (char) ('a' + i), 2.30 + 0.10 * i);
    }
    addPool(ON_DEMAND, CapacityType.OnDemand, "zone-a", 10.32);
    config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "8", "checkpointPollSeconds", "1",
        "pendingRecheckSeconds", "1")).with(EmbeddedApiServer.OPERATOR_OPTIONS);
    loop.scheduleWithFixedDelay(() -> {
      try {
        workloads.advance();
      } catch (RuntimeException e) {
        // a completion the kubelet could not report yet is reported again by the kubelet itself
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
  }

  private void addPool(String name, CapacityType type, String zone, double price) {
    KubernetesClient client = api.client();
    for (int i = 0; i < nodesPerPool; i++) {
      client.nodes().resource(SimulatedNodes.gpuNode(node(name, i), name, type, zone, "H100", 8)).create();
    }
    PlacementBenchmark.createPool(client, name, type, zone, price);
  }

  static String node(String pool, int i) {
    return pool + "-node-" + i;
  }

  ChaosCluster startOperator() {
    operator = new SpotterOperator(api.client(), config, Clock.systemUTC()).withCheckpointClient(workers).start();
    return this;
  }

  /** Stops the operator (all it held in memory is gone) and starts a new one on the same API. */
  void restartOperator() {
    operator.close();
    startOperator();
    restarts++;
  }

  int restarts() {
    return restarts;
  }

  FaultInjectingDispatcher faults() {
    return faults;
  }

  ApiInvariants invariants() {
    return invariants;
  }

  /** What the job's workload says of itself: progress, whether its gang runs, whether it is done. */
  String workload(String job) {
    return workloads.progress().stream().filter(p -> p.job().equals("default/" + job)).findFirst()
        .map(p -> String.format("%.0f of %.0f simulated min done, gang %s%s", p.doneHours() * 60, p.workHours() * 60,
            p.running() ? "running" : "not running", p.done() ? ", finished" : ""))
        .orElse("never started");
  }

  ChaosWorkers workers() {
    return workers;
  }

  KubernetesClient client() {
    return api.client();
  }

  List<String> nodesOf(String pool) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodesPerPool; i++) {
      out.add(node(pool, i));
    }
    return out;
  }

  /**
   * Submits {@code count} training jobs named {@code prefix-i}: {@code workers} ranks of
   * {@code gpus} GPUs, Http checkpoint trigger, {@code workHours} of simulated work, a periodic
   * checkpoint every ten simulated minutes.
   */
  List<String> submit(String prefix, int count, int workers, int gpus, double workHours) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TrainingJob job = job(prefix + "-" + i, workers, gpus, workHours);
      names.add(job.getMetadata().getName());
      retry(() -> {
        try {
          return api.client().resource(job).create();
        } catch (KubernetesClientException e) {
          // a create whose answer was lost was applied: it is there now
          if (e.getCode() == 409 && api.client().resource(job).get() != null) {
            return job;
          }
          throw e;
        }
      });
    }
    return names;
  }

  private static TrainingJob job(String name, int workers, int gpus, double workHours) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    TrainingJobSpec s = new TrainingJobSpec();
    s.setImage("ghcr.io/example/train:1.0");
    s.setWorkers(workers);
    s.setGpusPerWorker(gpus);
    s.setCapacity(new TrainingCapacity());
    CheckpointSpec cp = new CheckpointSpec();
    cp.setTrigger(CheckpointTrigger.Http);
    cp.setPort(8090);
    cp.setTimeoutSeconds(10);
    s.setCheckpoint(cp);
    s.setEnv(new ArrayList<>(List.of(new EnvVar(SimulatedWorkloads.ENV_WORK_HOURS, Double.toString(workHours), null),
        new EnvVar(SimulatedWorkloads.ENV_CHECKPOINT_EVERY, "600", null))));
    tj.setSpec(s);
    return tj;
  }

  /** Puts GKE's termination taint on a node (once, however often the write has to be retried). */
  void notice(String node) {
    retry(() -> api.client().nodes().withName(node).edit(n -> {
      if (n.getSpec().getTaints().stream().noneMatch(t -> "cloud.google.com/impending-node-termination".equals(t.getKey()))) {
        n.getSpec().getTaints().add(new Taint("NoSchedule", "cloud.google.com/impending-node-termination", null, "true"));
      }
      return n;
    }));
  }

  /** Removes a node at once, as when its capacity is reclaimed without a notice. */
  void removeNode(String node) {
    retry(() -> api.client().nodes().withName(node).delete());
  }

  /** Where the pods of a job's current attempt run, from the API. */
  List<String> nodesOfJob(String job) {
    return retry(() -> api.client().pods().inNamespace("default").withLabel("spotter.dev/job", job).list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() != null).map(p -> p.getSpec().getNodeName()).distinct().toList());
  }

  /** Waits until every job named has succeeded, or the time is up; true when all did. */
  boolean awaitCompletion(List<String> jobs, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Map<String, ApiInvariants.JobState> seen = invariants.jobs();
      if (jobs.stream().allMatch(j -> {
        ApiInvariants.JobState s = seen.get("default/" + j);
        return s != null && "Succeeded".equals(s.phase());
      })) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Runs a write of the run itself until the API takes it (20 tries, 100 ms apart). */
  static <T> T retry(Supplier<T> write) {
    KubernetesClientException last = null;
    for (int i = 0; i < 20; i++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    faults.calm();
    if (operator != null) {
      operator.close();
    }
    kubelet.close();
    workers.close();
    api.close();
  }
}
