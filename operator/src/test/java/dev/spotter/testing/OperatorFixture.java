package dev.spotter.testing;

import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingJob;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.SimulatedKubelet;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The real operator against the embedded API server, with a simulated kubelet and GPU nodes:
 * what the integration tests start.
 */
public final class OperatorFixture implements AutoCloseable {
  public static final String MODEL = "NVIDIA-H100-80GB-HBM3";

  private final EmbeddedApiServer api;
  private final SimulatedKubelet kubelet;
  private final Clock clock;
  private SpotterOperator operator;
  private SpotterConfig config;

  public OperatorFixture(Clock clock, Map<String, String> config) {
    this(clock, config, new EmbeddedApiServer());
  }

  /** With the API server given, for example one behind a {@code FaultInjectingDispatcher}. */
  public OperatorFixture(Clock clock, Map<String, String> config, EmbeddedApiServer api) {
    this.api = api;
    this.clock = clock;
    this.config = SpotterConfig.defaults().with(Map.of("metricsPort", "-1", "reconcileThreads", "4")).with(EmbeddedApiServer.OPERATOR_OPTIONS).with(config);
    this.kubelet = new SimulatedKubelet(api.client()).start();
  }

  public KubernetesClient client() {
    return api.client();
  }

  public SimulatedKubelet kubelet() {
    return kubelet;
  }

  public SpotterOperator operator() {
    return operator;
  }

  private final FakeCheckpointClient checkpoints = new FakeCheckpointClient();

  public FakeCheckpointClient checkpoints() {
    return checkpoints;
  }

  public OperatorFixture startOperator() {
    operator = new SpotterOperator(api.client(), config, clock).withCheckpointClient(checkpoints).start();
    return this;
  }

  /** Puts a taint on a node, as a cloud's tooling would. */
  public void taint(String node, String key, String value, String effect) {
    client().nodes().withName(node).edit(n -> {
      n.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.Taint(effect, key, null, value));
      return n;
    });
  }

  public void stopOperator() {
    operator.close();
    operator = null;
  }

  /** Adds {@code count} 8-GPU nodes of a node group, and a GpuPool selecting them. */
  public void pool(String name, CapacityType type, String zone, int count, double pricePerGpuHour, LabelSelector namespaces) {
    for (int i = 0; i < count; i++) {
      client().nodes().resource(SimulatedNodes.gpuNode(name + "-node-" + i, name, type, zone, MODEL, 8)).create();
    }
    GpuPool p = new GpuPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    GpuPoolSpec s = new GpuPoolSpec();
    s.setNodeSelector(Map.of("spotter.dev/node-group", name));
    s.setCapacityType(type);
    s.setZone(zone);
    s.setGpuModel(MODEL);
    s.setPricePerGpuHour(pricePerGpuHour);
    s.setNamespaceSelector(namespaces);
    p.setSpec(s);
    client().resources(GpuPool.class).resource(p).create();
  }

  /**
   * Adds {@code count} 8-accelerator nodes offering {@code resource} (amd.com/gpu,
   * huawei.com/Ascend910, ...) labelled with {@code model}, and a GpuPool of that resource.
   */
  public void acceleratorPool(String name, CapacityType type, String zone, int count, double pricePerGpuHour, String resource,
      String model) {
    for (int i = 0; i < count; i++) {
      client().nodes().resource(SimulatedNodes.gpuNode(name + "-node-" + i, name, type, zone, resource, model, 8)).create();
    }
    GpuPool p = new GpuPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    GpuPoolSpec s = new GpuPoolSpec();
    s.setNodeSelector(Map.of("spotter.dev/node-group", name));
    s.setCapacityType(type);
    s.setZone(zone);
    s.setGpuResource(resource);
    s.setPricePerGpuHour(pricePerGpuHour);
    p.setSpec(s);
    client().resources(GpuPool.class).resource(p).create();
  }

  /** The standard test fleet: spot in two zones and on-demand, {@code nodes} 8-GPU nodes each. */
  public OperatorFixture threePools(int nodes) {
    pool("spot-a", CapacityType.Spot, "zone-a", nodes, 2.37, null);
    pool("spot-b", CapacityType.Spot, "zone-b", nodes, 2.50, null);
    pool("on-demand", CapacityType.OnDemand, "zone-a", nodes, 10.32, null);
    return this;
  }

  public TrainingJob create(TrainingJob job) {
    return client().resources(TrainingJob.class).resource(job).create();
  }

  public InferenceJob create(InferenceJob job) {
    return client().resources(InferenceJob.class).resource(job).create();
  }

  public TrainingJob training(String name) {
    return client().resources(TrainingJob.class).inNamespace("default").withName(name).get();
  }

  public InferenceJob inference(String name) {
    return client().resources(InferenceJob.class).inNamespace("default").withName(name).get();
  }

  public List<Pod> podsOf(String job) {
    return client().pods().inAnyNamespace().withLabel("spotter.dev/job", job).list().getItems();
  }

  public List<io.fabric8.kubernetes.api.model.Event> eventsFor(String name) {
    return client().v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    kubelet.close();
    api.close();
  }
}
