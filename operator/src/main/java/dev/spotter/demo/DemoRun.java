package dev.spotter.demo;

import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.ReplicaPlacement;
import dev.spotter.api.TrainingJob;
import dev.spotter.config.Option;
import dev.spotter.config.SpotterConfig;
import dev.spotter.operator.SpotterOperator;
import dev.spotter.sim.TraceFormat;
import dev.spotter.sim.TraceLoader;
import dev.spotter.sim.TraceSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo run: the embedded API server, the simulated fleet driven by a spot trace, the REAL
 * operator started as a cluster install starts it, the simulated kubelet and workloads, and the
 * jobs. {@link #start()} brings it all up; {@link #stats()} reads where it stands.
 */
public final class DemoRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoRun.class);
  private static final long LOOP_MILLIS = 50;

  private final DemoOptions options;
  private final Map<String, String> env;
  private final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-loop");
    t.setDaemon(true);
    return t;
  });
  private final Deque<DemoJobs.Arrival> arrivals = new ArrayDeque<>();
  private EmbeddedApiServer api;
  private SimulatedKubelet kubelet;
  private SpotterOperator operator;
  private SpotterConfig config;
  private DemoFleet.Plan plan;
  private SimClock clock;
  private TraceDriver driver;
  private ClusterNodes nodes;
  private SimulatedWorkloads workloads;
  private GpuHourMeter meter;
  private String source;
  private int trainingTotal;
  private Instant realStart;
  private CloudPool cloudPool = CloudPool.NONE;

  /**
   * @param env environment the operator's configuration is read from (SPOTTER_* variables), as in
   *     a cluster install
   */
  public DemoRun(DemoOptions options, Map<String, String> env) {
    this.options = options;
    this.env = Map.copyOf(env);
  }

  /** Runs the first spot pool as an Alibaba Cloud or Tencent Cloud pool ({@code --cloud-pool}). */
  public DemoRun withCloudPool(CloudPool cloud) {
    this.cloudPool = cloud;
    return this;
  }

  public DemoRun start() {
    TraceSet traces = new TraceLoader(TraceFormat.PREEMPTED).load(List.of(options.trace()));
    plan = DemoFleet.plan(traces, options.seed(), options.simulatedLength(), options.spotZones(), options.nodesPerPool());
    clock = new SimClock(Clock.systemUTC(), plan.start(), options.speed());
    DemoJobs.Loaded loaded = DemoJobs.load(options.manifests());
    source = loaded.source();
    notes.addAll(loaded.notes());
    List<HasMetadata> jobs = loaded.jobs().stream().map(j -> DemoJobs.prepare(j, DemoFleet.GPU_MODEL, notes)).toList();
    List<DemoJobs.Arrival> generated = new ArrayList<>(DemoJobs.generate(options.jobs(), options.seed(),
        Duration.ofMillis(options.simulatedLength().toMillis() / 2)));
    generated.sort(Comparator.comparing(DemoJobs.Arrival::after));
    generated.forEach(a -> DemoJobs.prepare(a.job(), DemoFleet.GPU_MODEL, notes));
    arrivals.addAll(generated);
    trainingTotal = (int) jobs.stream().filter(j -> j instanceof TrainingJob).count() + generated.size();

    api = new EmbeddedApiServer();
    KubernetesClient client = api.client();
    Set<String> namespaces = new LinkedHashSet<>(List.of("default"));
    jobs.forEach(j -> namespaces.add(j.getMetadata().getNamespace()));
    generated.forEach(a -> namespaces.add(a.job().getMetadata().getNamespace()));
    namespaces.forEach(ns -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create());

    nodes = new ClusterNodes(client, DemoFleet.GPU_MODEL, plan.gpusPerNode());
    if (cloudPool != CloudPool.NONE) {
      String dressed = plan.spot().get(0).name();
      nodes.withCloudPool(cloudPool, dressed, clock::toReal);
      notes.add(dressed + " runs as a " + cloudPool.displayName() + " pool: its notices arrive as spotter agent marks ("
          + cloudPool.source().tag() + ")");
    }
    for (int i = 1; i <= plan.onDemandNodes(); i++) {
      nodes.add(plan.onDemandPool() + "-n" + i, plan.onDemandPool(), CapacityType.OnDemand, plan.onDemandZone());
    }
    driver = new TraceDriver(plan.spot(), plan.startTick(), plan.start(), options.noticeWindow(), clock);
    nodes.apply(driver.advance());
    for (TraceDriver.SpotPool p : plan.spot()) {
      createPool(client, p.name(), CapacityType.Spot, p.zone(), plan.prices().get(p.name()));
    }
    createPool(client, plan.onDemandPool(), CapacityType.OnDemand, plan.onDemandZone(), plan.onDemandPrice());

    meter = new GpuHourMeter(clock, plan.prices(), plan.onDemandPrice(), "nvidia.com/gpu");
    kubelet = new SimulatedKubelet(client);
    workloads = new SimulatedWorkloads(clock, (ns, pod) -> kubelet.setPhase(ns, pod, "Succeeded", null, 0));
    kubelet.withRunner(workloads).withRunner(meter).start();

    config = operatorConfig();
    operator = new SpotterOperator(client, config, Clock.systemUTC())
        .withCheckpointClient(new DemoCheckpointClient(workloads, Clock.systemUTC())).start();

    for (HasMetadata j : jobs) {
      submit(j);
    }
    clock.start();
    realStart = Instant.now();
    loop.scheduleWithFixedDelay(this::tick, 0, LOOP_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The operator's configuration: defaults and SPOTTER_* variables as in a cluster install, the
   * demo's metrics port, and the waits that are set in trace time compressed to the demo's speed
   * unless a variable sets them.
   */
  private SpotterConfig operatorConfig() {
    SpotterConfig base = SpotterConfig.load(env, Map.of());
    Map<String, String> o = new LinkedHashMap<>();
    o.put(Option.METRICS_PORT.key(), Integer.toString(options.metricsPort()));
    o.put(Option.METRICS_HOST.key(), "127.0.0.1"); // the demo's metrics stay on this machine
    o.putAll(EmbeddedApiServer.OPERATOR_OPTIONS); // the embedded API has no server-side apply
    if (!env.containsKey(Option.SPOT_WAIT_SECONDS.envVar())) {
      o.put(Option.SPOT_WAIT_SECONDS.key(), Long.toString(Math.max(1, Math.round(base.spotWait().toSeconds() / options.speed()))));
    }
    // the repeated-preemption window and cool-down are trace time too
    for (Option o2 : java.util.List.of(Option.PREEMPTION_WINDOW_SECONDS, Option.ON_DEMAND_COOLDOWN_SECONDS)) {
      if (!env.containsKey(o2.envVar())) {
        long v = Long.parseLong(base.asMap().get(o2.key()));
        o.put(o2.key(), Long.toString(Math.max(1, Math.round(v / options.speed()))));
      }
    }
    if (!env.containsKey(Option.CHECKPOINT_POLL_SECONDS.envVar())) {
      o.put(Option.CHECKPOINT_POLL_SECONDS.key(), "1");
    }
    if (!env.containsKey(Option.PENDING_RECHECK_SECONDS.envVar())) {
      o.put(Option.PENDING_RECHECK_SECONDS.key(), "1");
    }
    return base.with(o);
  }

  private void tick() {
    try {
      nodes.apply(driver.advance());
      workloads.advance();
      Duration elapsed = clock.elapsed();
      while (!arrivals.isEmpty() && arrivals.peekFirst().after().compareTo(elapsed) <= 0) {
        submit(arrivals.pollFirst().job());
      }
    } catch (RuntimeException e) {
      log.warn("demo step failed, will go on: {}", e.toString());
    }
  }

  private void submit(HasMetadata job) {
    try {
      createCheckpointClaim(job);
      api.client().resource(job).create();
    } catch (KubernetesClientException e) {
      notes.add("could not submit " + job.getMetadata().getName() + ": " + e.getMessage());
    }
  }

  /** The checkpoint volume a job names, as its user would have created it beforehand. */
  private void createCheckpointClaim(HasMetadata job) {
    if (!(job instanceof dev.spotter.api.TrainingJob tj) || tj.getSpec().getCheckpoint() == null
        || tj.getSpec().getCheckpoint().getStorage() == null || tj.getSpec().getCheckpoint().getStorage().getPersistentVolumeClaim() == null) {
      return;
    }
    String claim = tj.getSpec().getCheckpoint().getStorage().getPersistentVolumeClaim();
    String ns = tj.getMetadata().getNamespace() == null ? "default" : tj.getMetadata().getNamespace();
    if (api.client().persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
      api.client().persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
          .withNewMetadata().withName(claim).withNamespace(ns).endMetadata()
          .withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
          .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("100Gi")).endResources().endSpec().build()).create();
    }
  }

  private static void createPool(KubernetesClient client, String name, CapacityType type, String zone, double price) {
    GpuPool p = new GpuPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    GpuPoolSpec s = new GpuPoolSpec();
    s.setNodeSelector(new LinkedHashMap<>(Map.of("spotter.dev/node-group", name)));
    s.setCapacityType(type);
    s.setZone(zone);
    s.setGpuModel(DemoFleet.GPU_MODEL);
    s.setPricePerGpuHour(price);
    p.setSpec(s);
    client.resources(GpuPool.class).resource(p).create();
  }

  /** Where the run stands now. */
  public DemoStats stats() {
    KubernetesClient client = api.client();
    Map<String, Integer> phases = new TreeMap<>();
    List<DemoStats.JobRow> rows = new ArrayList<>();
    Map<String, double[]> progress = new HashMap<>();
    workloads.progress().forEach(p -> progress.put(p.job(), new double[] {p.doneHours(), p.workHours()}));
    int preemptions = 0;
    int reschedules = 0;
    List<TrainingJob> training = client.resources(TrainingJob.class).inAnyNamespace().list().getItems();
    for (TrainingJob tj : training) {
      var st = tj.getStatus();
      String phase = st == null || st.getPhase() == null ? "Pending" : st.getPhase().name();
      phases.merge(phase, 1, Integer::sum);
      int attempt = st == null ? 0 : st.attempt();
      int pre = st == null ? 0 : st.preemptions();
      preemptions += pre;
      reschedules += Math.max(0, attempt - 1);
      String capacity = st == null || st.getPlacement() == null || st.getPlacement().getCapacityType() == null ? "-"
          : st.getPlacement().getCapacityType() == CapacityType.Spot ? "spot" : "on-demand";
      double[] p = progress.get(tj.getMetadata().getNamespace() + "/" + tj.getMetadata().getName());
      double pct = "Succeeded".equals(phase) ? 1 : p == null ? 0 : p[0] / p[1];
      rows.add(new DemoStats.JobRow(tj.getMetadata().getName(), phase, capacity, attempt, pre, pct));
    }
    int replicas = 0;
    int ready = 0;
    int spot = 0;
    int onDemand = 0;
    for (InferenceJob ij : client.resources(InferenceJob.class).inAnyNamespace().list().getItems()) {
      var st = ij.getStatus();
      if (st == null) {
        continue;
      }
      replicas += ij.getSpec().replicas();
      ready += st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
      for (ReplicaPlacement rp : st.getReplicaPlacements()) {
        if (rp.getCapacityType() == CapacityType.Spot) {
          spot++;
        } else {
          onDemand++;
        }
      }
      int pre = st.getPreemptions() == null ? 0 : st.getPreemptions();
      preemptions += pre;
      reschedules += pre;
    }
    var w = workloads.totals();
    Map<String, Double> metrics = operatorMetrics();
    int checkpoints = Math.max(w.checkpoints(), (int) Math.round(metrics.getOrDefault("spotter_checkpoints_total", 0.0)));
    reschedules = Math.max(reschedules, (int) Math.round(metrics.getOrDefault("spotter_reschedules_total", 0.0)));
    int synced = training.size();
    return new DemoStats(clock.simStart(), clock.instant(), clock.elapsed(), realStart == null ? Duration.ZERO : Duration.between(realStart, Instant.now()),
        options.trace(), options.speed(), driver.view(), plan.onDemandPool(),
        plan.onDemandNodes(), plan.prices(), trainingTotal, Math.max(0, trainingTotal - synced), phases, rows,
        replicas, ready, spot, onDemand, driver.notices(), driver.nodesRemoved(), driver.nodesAdded(), preemptions,
        reschedules, checkpoints, w.resumes(), w.lostGpuHours(),
        metrics.getOrDefault("spotter_fleet_spot_share", 0.0), config.spotTarget(), meter.totals());
  }

  /** The operator's meters by Prometheus name (counters summed over tags, gauges summed). */
  private Map<String, Double> operatorMetrics() {
    Map<String, Double> out = new HashMap<>();
    for (Meter m : operator.registry().getMeters()) {
      String name = m.getId().getName().replace('.', '_');
      double v;
      if (m instanceof Counter c) {
        name = name.endsWith("_total") ? name : name + "_total";
        if ("spotter_checkpoints_total".equals(name) && !"committed".equals(m.getId().getTag("outcome"))) {
          continue;
        }
        v = c.count();
      } else if (m instanceof Gauge g) {
        v = g.value();
      } else {
        continue;
      }
      if (Double.isFinite(v)) {
        out.merge(name, v, Double::sum);
      }
    }
    return out;
  }

  /** True once every training job (submitted or still to come) has succeeded or failed. */
  public boolean trainingDone() {
    if (!arrivals.isEmpty()) {
      return false;
    }
    List<TrainingJob> all = api.client().resources(TrainingJob.class).inAnyNamespace().list().getItems();
    return all.size() == trainingTotal && all.stream()
        .allMatch(j -> j.getStatus() != null && j.getStatus().getPhase() != null && j.getStatus().getPhase().isFinal());
  }

  /** The operator's /metrics address, or null when the server is off. */
  public String metricsUrl() {
    int port = operator == null ? -1 : operator.metricsPort();
    return port < 0 ? null : "http://127.0.0.1:" + port + "/metrics";
  }

  public DemoOptions options() {
    return options;
  }

  public DemoFleet.Plan plan() {
    return plan;
  }

  public SpotterConfig config() {
    return config;
  }

  /** Where the jobs came from. */
  public String jobSource() {
    return source;
  }

  /** What had to be skipped or adapted, for the user to read. */
  public List<String> notes() {
    synchronized (notes) {
      return List.copyOf(notes);
    }
  }

  /** Stops simulated time and everything that moves. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (operator != null) {
      operator.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
  }
}
