package dev.spotter.fleet;

import static dev.spotter.api.CapacityType.OnDemand;
import static dev.spotter.api.CapacityType.Spot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import dev.spotter.config.SpotterConfig;
import dev.spotter.demo.SimulatedNodes;
import dev.spotter.scheduling.Accelerators;
import dev.spotter.scheduling.PoolInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolCatalogTest {
  private static final SpotterConfig DEFAULTS = SpotterConfig.defaults();

  private static List<Node> mixedCluster() {
    Node ascend = SimulatedNodes.gpuNode("ascend-0", "ascend", Spot, "cn-hangzhou-h", Accelerators.ASCEND_910, "huawei-Ascend910", 8);
    ascend.getSpec().setTaints(List.of(new Taint("NoSchedule", Accelerators.ASCEND_910, null, null)));
    return List.of(
        SimulatedNodes.gpuNode("h100-0", "h100", Spot, "us-east-1a", "NVIDIA-H100-80GB-HBM3", 8),
        SimulatedNodes.gpuNode("h100-1", "h100", Spot, "us-east-1a", "NVIDIA-H100-80GB-HBM3", 8),
        SimulatedNodes.gpuNode("mi300-0", "mi300", Spot, "us-east-1a", Accelerators.AMD, "AMD_Instinct_MI300X_OAM", 8),
        SimulatedNodes.gpuNode("mi300-od-0", "mi300-od", OnDemand, "us-east-1a", Accelerators.AMD, "AMD_Instinct_MI300X_OAM", 4),
        ascend,
        cpuOnly("cpu-0"));
  }

  @Test
  void discoveryMakesOnePoolPerVendorCapacityTypeModelAndZone() {
    PoolCatalog.Catalog c = PoolCatalog.resolve(List.of(), mixedCluster(), DEFAULTS);

    assertThat(c.pools()).containsOnlyKeys(
        "auto-nvidia-spot-nvidia-h100-80gb-hbm3-us-east-1a",
        "auto-amd-spot-amd-instinct-mi300x-oam-us-east-1a",
        "auto-amd-on-demand-amd-instinct-mi300x-oam-us-east-1a",
        "auto-ascend-spot-huawei-ascend910-cn-hangzhou-h");
    PoolInfo amd = c.pools().get("auto-amd-spot-amd-instinct-mi300x-oam-us-east-1a");
    assertThat(amd.gpuResource()).isEqualTo("amd.com/gpu");
    assertThat(amd.gpuModel()).isEqualTo("AMD_Instinct_MI300X_OAM");
    assertThat(amd.nodeSelector()).containsEntry("amd.com/gpu.product-name", "AMD_Instinct_MI300X_OAM");
    PoolInfo ascend = c.pools().get("auto-ascend-spot-huawei-ascend910-cn-hangzhou-h");
    assertThat(ascend.gpuResource()).isEqualTo("huawei.com/Ascend910");
    assertThat(ascend.nodeSelector()).containsEntry("accelerator", "huawei-Ascend910");
    assertThat(ascend.taints()).extracting(PoolInfo.Taint::key).containsExactly("huawei.com/Ascend910");
    assertThat(c.pools().get("auto-nvidia-spot-nvidia-h100-80gb-hbm3-us-east-1a").gpuResource()).isEqualTo("nvidia.com/gpu");
  }

  @Test
  void nodesCountTheirOwnVendorsAccelerators() {
    PoolCatalog.Catalog c = PoolCatalog.resolve(List.of(), mixedCluster(), DEFAULTS);

    assertThat(c.nodes()).doesNotContainKey("cpu-0");
    assertThat(c.nodes().get("mi300-od-0").allocatableGpus()).isEqualTo(4);
    assertThat(c.nodes().get("ascend-0").allocatableGpus()).isEqualTo(8);
    assertThat(c.nodesOf("auto-nvidia-spot-nvidia-h100-80gb-hbm3-us-east-1a")).extracting(PoolCatalog.GpuNode::name)
        .containsExactly("h100-0", "h100-1");
  }

  @Test
  void aConfiguredDefaultResourceIsDiscoveredToo() {
    Node gaudi = SimulatedNodes.gpuNode("gaudi-0", "gaudi", Spot, "us-east-1a", "habana.ai/gaudi", "HL-225", 8);
    SpotterConfig config = SpotterConfig.load(Map.of(), Map.of("gpuResource", "habana.ai/gaudi"));

    PoolCatalog.Catalog c = PoolCatalog.resolve(List.of(), List.of(gaudi), config);

    assertThat(c.pools()).containsOnlyKeys("auto-habana-spot-us-east-1a");
    assertThat(c.pools().get("auto-habana-spot-us-east-1a").gpuResource()).isEqualTo("habana.ai/gaudi");
    assertThat(c.nodes().get("gaudi-0").allocatableGpus()).isEqualTo(8);
  }

  @Test
  void aDeclaredAmdPoolReadsItsModelFromTheAmdLabelAndCountsAmdGpus() {
    GpuPoolSpec spec = new GpuPoolSpec();
    spec.setNodeSelector(Map.of("spotter.dev/node-group", "mi300"));
    spec.setGpuResource(Accelerators.AMD);
    GpuPool pool = new GpuPool();
    pool.setMetadata(new ObjectMetaBuilder().withName("mi300").build());
    pool.setSpec(spec);

    PoolCatalog.Catalog c = PoolCatalog.resolve(List.of(pool), mixedCluster(), DEFAULTS);

    assertThat(c.pools().get("mi300").gpuModel()).isEqualTo("AMD_Instinct_MI300X_OAM");
    assertThat(c.nodes().get("mi300-0").allocatableGpus()).isEqualTo(8);
  }

  private static Node cpuOnly(String name) {
    Node n = SimulatedNodes.gpuNode(name, "cpu", OnDemand, "us-east-1a", "NVIDIA-H100-80GB-HBM3", 1);
    n.getStatus().setAllocatable(Map.of("cpu", new Quantity("16")));
    return n;
  }
}
