package dev.spotter.bench;

import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real operator against the embedded API with {@code nodes} 8-GPU nodes (three spot
 * zones and one on-demand pool) and submits {@code jobs} single-GPU training jobs; measures how
 * fast they are admitted (placement recorded in status) and the heap it took.
 */
public final class PlacementBenchmark {
  /** Machine-readable result; the field names are a stable interface. */
  public record Result(int nodes, int jobs, int admitted, double seconds, double jobs_per_second,
      double p50_admission_ms, double p99_admission_ms, double peak_heap_mib, double max_heap_mib,
      double spot_share, int submit_threads) {}

  private final int nodes;
  private final int jobs;
  private final double timeoutSeconds;

  public PlacementBenchmark(int nodes, int jobs, double timeoutSeconds) {
    this.nodes = nodes;
    this.jobs = jobs;
    this.timeoutSeconds = timeoutSeconds;
  }

  public Result run() throws Exception {
    try (HeapSampler heap = new HeapSampler().start(); EmbeddedApiServer api = new EmbeddedApiServer()) {
      KubernetesClient client = api.client();
      String[] pools = {"spot-zone-a", "spot-zone-b", "spot-zone-c", "on-demand-zone-a"};
      for (int p = 0; p < pools.length; p++) {
        CapacityType type = pools[p].startsWith("spot") ? CapacityType.Spot : CapacityType.OnDemand;
        createPool(client, pools[p], type, pools[p].substring(pools[p].length() - 6), type == CapacityType.Spot ? 2.37 : 10.32);
      }
      ExecutorService submit = Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<?>> created = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        String pool = pools[i % pools.length];
        CapacityType type = pool.startsWith("spot") ? CapacityType.Spot : CapacityType.OnDemand;
        String name = pool + "-" + i;
        created.add(submit.submit(() -> client.nodes().resource(
            SimulatedNodes.gpuNode(name, pool, type, pool.substring(pool.length() - 6), "NVIDIA-H100-80GB-HBM3", 8)).create()));
      }
      for (var f : created) {
        f.get();
      }
      SpotterConfig config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "16")).with(dev.spotter.demo.EmbeddedApiServer.OPERATOR_OPTIONS);
      Map<String, Long> submittedAt = new ConcurrentHashMap<>();
      Map<String, Long> admittedAt = new ConcurrentHashMap<>();
      Map<String, Boolean> onSpot = new ConcurrentHashMap<>();
      var watch = client.resources(TrainingJob.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(TrainingJob tj) {
          seen(tj);
        }

        @Override
        public void onUpdate(TrainingJob o, TrainingJob tj) {
          seen(tj);
        }

        @Override
        public void onDelete(TrainingJob tj, boolean unknown) {}

        private void seen(TrainingJob tj) {
          if (tj.getStatus() != null && tj.getStatus().getPlacement() != null) {
            if (admittedAt.putIfAbsent(tj.getMetadata().getName(), System.nanoTime()) == null) {
              onSpot.put(tj.getMetadata().getName(), tj.getStatus().getPlacement().getCapacityType() == CapacityType.Spot);
            }
          }
        }
      });
      try (SpotterOperator operator = new SpotterOperator(client, config, Clock.systemUTC()).start()) {
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> subs = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
          String name = "bench-" + i;
          subs.add(submit.submit(() -> {
            submittedAt.put(name, System.nanoTime());
            client.resources(TrainingJob.class).resource(job(name)).create();
          }));
        }
        for (var f : subs) {
          f.get();
        }
        long deadline = start + (long) (timeoutSeconds * 1e9);
        while (admittedAt.size() < jobs && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        long end = admittedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
        double seconds = (end - start) / 1e9;
        double[] lat = admittedAt.entrySet().stream()
            .mapToDouble(e -> (e.getValue() - submittedAt.getOrDefault(e.getKey(), start)) / 1e6).sorted().toArray();
        long spot = onSpot.values().stream().filter(b -> b).count();
        submit.shutdownNow();
        submit.awaitTermination(5, TimeUnit.SECONDS);
        return new Result(nodes, jobs, admittedAt.size(), round(seconds), round(admittedAt.size() / seconds),
            round(percentile(lat, 0.50)), round(percentile(lat, 0.99)), round(heap.peakMib()), round(HeapSampler.maxHeapMib()),
            round(admittedAt.isEmpty() ? 0 : (double) spot / admittedAt.size()), 8);
      } finally {
        watch.close();
      }
    }
  }

  static void createPool(KubernetesClient client, String name, CapacityType type, String zone, double price) {
    GpuPool p = new GpuPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    GpuPoolSpec s = new GpuPoolSpec();
    s.setNodeSelector(new LinkedHashMap<>(Map.of("spotter.dev/node-group", name)));
    s.setCapacityType(type);
    s.setZone(zone);
    s.setPricePerGpuHour(price);
    p.setSpec(s);
    client.resources(GpuPool.class).resource(p).create();
  }

  private static TrainingJob job(String name) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    TrainingJobSpec s = new TrainingJobSpec();
    s.setImage("ghcr.io/example/train:1.0");
    s.setWorkers(1);
    s.setGpusPerWorker(1);
    s.setCapacity(new TrainingCapacity());
    tj.setSpec(s);
    return tj;
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

}
