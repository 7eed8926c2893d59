package dev.spotter.bench;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.SimulatedKubelet;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A notice storm against the real operator: {@code notices} single-GPU training jobs run five to a
 * spot node; every one of those nodes gets a GKE termination taint at once. Measures notice →
 * checkpoint request and notice → replacement pods, and checks that no job misses its checkpoint
 * and no rank ever has two live pods.
 */
public final class PreemptionBenchmark {
  /** Machine-readable result; the field names are a stable interface. */
  public record Result(int notices, int nodes_noticed, int jobs, double p50_notice_to_checkpoint_ms,
      double p99_notice_to_checkpoint_ms, double p50_notice_to_replacement_ms, double p99_notice_to_replacement_ms,
      long checkpoints_missed, int duplicate_pods, int jobs_rescheduled, double seconds, double peak_heap_mib) {}

  private static final int JOBS_PER_NODE = 5;
  private final int notices;
  private final double timeoutSeconds;

  public PreemptionBenchmark(int notices, double timeoutSeconds) {
    this.notices = notices;
    this.timeoutSeconds = timeoutSeconds;
  }

  public Result run() throws Exception {
    int doomedNodes = (notices + JOBS_PER_NODE - 1) / JOBS_PER_NODE;
    try (HeapSampler heap = new HeapSampler().start();
        EmbeddedApiServer api = new EmbeddedApiServer();
        InMemoryCheckpoints workers = new InMemoryCheckpoints(Duration.ofMillis(100), Clock.systemUTC());
        SimulatedKubelet kubelet = new SimulatedKubelet(api.client()).start()) {
      KubernetesClient client = api.client();
      PlacementBenchmark.createPool(client, "spot-a", CapacityType.Spot, "zone-a", 2.37);
      PlacementBenchmark.createPool(client, "spot-b", CapacityType.Spot, "zone-b", 2.50);
      PlacementBenchmark.createPool(client, "on-demand", CapacityType.OnDemand, "zone-a", 10.32);
      ExecutorService exec = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < doomedNodes; i++) {
        String n = "spot-a-" + i;
        fs.add(exec.submit(() -> client.nodes().resource(SimulatedNodes.gpuNode(n, "spot-a", CapacityType.Spot, "zone-a", "H100", JOBS_PER_NODE)).create()));
      }
      for (int i = 0; i < doomedNodes; i++) {
        String n = "spot-b-" + i;
        fs.add(exec.submit(() -> client.nodes().resource(SimulatedNodes.gpuNode(n, "spot-b", CapacityType.Spot, "zone-b", "H100", JOBS_PER_NODE)).create()));
      }
      for (int i = 0; i < doomedNodes / 2 + 1; i++) {
        String n = "on-demand-" + i;
        fs.add(exec.submit(() -> client.nodes().resource(SimulatedNodes.gpuNode(n, "on-demand", CapacityType.OnDemand, "zone-a", "H100", JOBS_PER_NODE)).create()));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      // every rank's live pods, to catch two at once
      Map<String, Set<String>> liveByRank = new ConcurrentHashMap<>();
      Set<String> duplicates = ConcurrentHashMap.newKeySet();
      Map<String, Long> replacedAt = new ConcurrentHashMap<>();
      var podWatch = client.pods().inAnyNamespace().withLabel(Api.LABEL_MANAGED_BY, Api.MANAGED_BY).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Pod p) {
          String rank = p.getMetadata().getLabels().get(Api.LABEL_JOB) + "/" + p.getMetadata().getLabels().get(Api.LABEL_RANK);
          Set<String> live = liveByRank.computeIfAbsent(rank, k -> ConcurrentHashMap.newKeySet());
          live.add(p.getMetadata().getName());
          if (live.size() > 1) {
            duplicates.add(rank);
          }
          if (!"1".equals(p.getMetadata().getLabels().get(Api.LABEL_ATTEMPT))) {
            replacedAt.putIfAbsent(p.getMetadata().getLabels().get(Api.LABEL_JOB), System.nanoTime());
          }
        }

        @Override
        public void onUpdate(Pod o, Pod p) {}

        @Override
        public void onDelete(Pod p, boolean unknown) {
          String rank = p.getMetadata().getLabels().get(Api.LABEL_JOB) + "/" + p.getMetadata().getLabels().get(Api.LABEL_RANK);
          Set<String> live = liveByRank.get(rank);
          if (live != null) {
            live.remove(p.getMetadata().getName());
          }
        }
      });
      // spot target 1.0 and on-demand only as a fallback: every job starts on spot-a first
      SpotterConfig config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "16", "spotTarget", "1.0")).with(dev.spotter.demo.EmbeddedApiServer.OPERATOR_OPTIONS);
      try (SpotterOperator op = new SpotterOperator(client, config, Clock.systemUTC()).withCheckpointClient(workers).start()) {
        // hold spot-b and on-demand back until every job runs on spot-a, so the notices hit every job
        cordon(client, "spot-b", doomedNodes, true);
        cordon(client, "on-demand", doomedNodes / 2 + 1, true);
        fs.clear();
        for (int i = 0; i < notices; i++) {
          String name = "storm-" + i;
          fs.add(exec.submit(() -> client.resources(TrainingJob.class).resource(job(name)).create()));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        waitFor(() -> kubeletRunning(client) >= notices, 120);
        cordon(client, "spot-b", doomedNodes, false);
        cordon(client, "on-demand", doomedNodes / 2 + 1, false);
        Thread.sleep(500);
        Map<String, String> nodeOfJob = new ConcurrentHashMap<>();
        client.pods().inNamespace("default").list().getItems()
            .forEach(p -> nodeOfJob.put(p.getMetadata().getLabels().get(Api.LABEL_JOB), p.getSpec().getNodeName()));
        Map<String, Long> taintedAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        fs.clear();
        for (int i = 0; i < doomedNodes; i++) {
          String n = "spot-a-" + i;
          fs.add(exec.submit(() -> {
            client.nodes().withName(n).edit(node -> {
              node.getSpec().getTaints().add(new Taint("NoSchedule", "cloud.google.com/impending-node-termination", null, "true"));
              return node;
            });
            taintedAt.put(n, System.nanoTime()); // the notice exists once the API server has it
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        waitFor(() -> replacedAt.size() >= notices, timeoutSeconds);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] toCheckpoint = workers.firstAsked().entrySet().stream()
            .mapToDouble(e -> (e.getValue() - taintedAt.getOrDefault(nodeOfJob.get(e.getKey()), start)) / 1e6).sorted().toArray();
        double[] toReplacement = replacedAt.entrySet().stream()
            .mapToDouble(e -> (e.getValue() - taintedAt.getOrDefault(nodeOfJob.get(e.getKey()), start)) / 1e6).sorted().toArray();
        long missed = Math.round(op.registry().find("spotter.checkpoints").tag("outcome", "missed").counters().stream()
            .mapToDouble(c -> c.count()).sum());
        missed += notices - workers.firstAsked().size();
        exec.shutdownNow();
        podWatch.close();
        return new Result(notices, doomedNodes, notices,
            round(PlacementBenchmark.percentile(toCheckpoint, 0.5)), round(PlacementBenchmark.percentile(toCheckpoint, 0.99)),
            round(PlacementBenchmark.percentile(toReplacement, 0.5)), round(PlacementBenchmark.percentile(toReplacement, 0.99)),
            missed, duplicates.size(), replacedAt.size(), round(seconds), round(heap.peakMib()));
      }
    }
  }

  private static long kubeletRunning(KubernetesClient client) {
    return client.pods().inNamespace("default").list().getItems().stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
  }

  private static void cordon(KubernetesClient client, String group, int count, boolean on) {
    for (int i = 0; i < count; i++) {
      client.nodes().withName(group + "-" + i).edit(n -> {
        n.getSpec().setUnschedulable(on ? Boolean.TRUE : null);
        return n;
      });
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done, double seconds) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (!done.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  private static TrainingJob job(String name) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    TrainingJobSpec s = new TrainingJobSpec();
    s.setImage("ghcr.io/example/train:1.0");
    s.setCapacity(new TrainingCapacity());
    CheckpointSpec cp = new CheckpointSpec();
    cp.setTrigger(CheckpointTrigger.Http);
    cp.setPort(8090);
    cp.setTimeoutSeconds(20);
    s.setCheckpoint(cp);
    tj.setSpec(s);
    return tj;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

}
