package dev.spotter.scheduling;

import static dev.spotter.api.CapacityType.OnDemand;
import static dev.spotter.api.CapacityType.Spot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CapacityType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaPlannerTest {
  private final ReplicaPlanner planner = new ReplicaPlanner();
  private final ReplicaPlanner.Request req = new ReplicaPlanner.Request("ij", "default", Map.of(), 1, null, Accelerators.NVIDIA);

  @ParameterizedTest(name = "N={0} base={1} spot%={2} -> {3} spot")
  @CsvSource({"10,1,80,7", "10,0,80,8", "10,1,100,9", "10,1,0,0", "1,1,80,0", "2,1,80,0", "3,1,80,1", "0,1,80,0", "5,5,80,0", "10,2,50,4"})
  void spotCountIsFloorOfTheShareAboveTheBase(int n, int base, int pct, int spot) {
    assertThat(ReplicaPlanner.spotReplicas(n, base, pct)).isEqualTo(spot);
  }

  @Test
  void tenReplicasWithDefaultsGoSevenSpotAcrossZonesAndThreeOnDemandBaseFirst() {
    Snapshot s = Fleets.empty().pool("od", OnDemand, "a", 10.0, 8).pool("spot-a", Spot, "a", 2.0, 8).pool("spot-b", Spot, "b", 2.0, 8).snapshot();
    var out = planner.plan(s, req, 10, 1, 80, List.of(), IntStream.range(0, 10).boxed().toList());
    Map<CapacityType, Long> byType = out.stream().map(d -> ((Decision.Placed) d.decision()).capacityType())
        .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
    assertThat(byType).containsEntry(Spot, 7L).containsEntry(OnDemand, 3L);
    assertThat(((Decision.Placed) out.get(0).decision()).capacityType()).isEqualTo(OnDemand);
    Map<String, Long> spotZones = out.stream().map(d -> (Decision.Placed) d.decision()).filter(p -> p.capacityType() == Spot)
        .collect(Collectors.groupingBy(p -> p.pool().zone(), Collectors.counting()));
    assertThat(spotZones.get("a") - spotZones.get("b")).isBetween(-1L, 1L);
  }

  @Test
  void noSpotRoomKeepsReplicasServingOnOnDemand() {
    Snapshot s = Fleets.empty().pool("od", OnDemand, "a", 10.0, 8, 8).pool("spot-a", Spot, "a", 2.0, 8).used("spot-a-0", 8).snapshot();
    var out = planner.plan(s, req, 4, 1, 80, List.of(), List.of(0, 1, 2, 3));
    assertThat(out).allMatch(d -> d.decision() instanceof Decision.Placed p && p.capacityType() == OnDemand);
    assertThat(((Decision.Placed) out.get(1).decision()).why()).contains("no Spot room");
  }

  @Test
  void existingReplicasCountTowardsTheSplit() {
    Snapshot s = Fleets.empty().pool("od", OnDemand, "a", 10.0, 8).pool("spot-a", Spot, "a", 2.0, 8).snapshot();
    var existing = List.of(new ReplicaPlanner.Existing(0, OnDemand, "a"), new ReplicaPlanner.Existing(1, Spot, "a"));
    var out = planner.plan(s, req, 3, 1, 100, existing, List.of(2));
    assertThat(((Decision.Placed) out.get(0).decision()).capacityType()).isEqualTo(Spot);
  }

  @Test
  void nothingFitsMeansWaitWithReason() {
    Snapshot s = Fleets.empty().pool("od", OnDemand, "a", 10.0, 1).used("od-0", 1).snapshot();
    var out = planner.plan(s, req, 1, 1, 80, List.of(), List.of(0));
    assertThat(out.get(0).decision()).isInstanceOf(Decision.Wait.class);
  }

  /** Cheapest pools first: AMD spot and on-demand, Ascend spot, then NVIDIA spot and on-demand. */
  static Snapshot mixedVendors() {
    return Fleets.empty()
        .pool("amd-spot", Spot, "a", 1.0, Accelerators.AMD, "AMD_Instinct_MI300X_OAM", 8)
        .pool("amd-od", OnDemand, "a", 3.0, Accelerators.AMD, "AMD_Instinct_MI300X_OAM", 8)
        .pool("ascend-spot", Spot, "a", 1.5, Accelerators.ASCEND_910, "huawei-Ascend910", 8)
        .pool("nvidia-spot", Spot, "a", 2.0, 8)
        .pool("nvidia-od", OnDemand, "a", 10.0, 8)
        .snapshot();
  }

  @ParameterizedTest(name = "{0} {1}: replicas on {2}")
  @CsvSource(nullValues = "-", value = {
      "nvidia.com/gpu,       -,                       nvidia-od|nvidia-spot",
      "amd.com/gpu,          -,                       amd-od|amd-spot",
      "amd.com/gpu,          AMD_Instinct_MI300X_OAM, amd-od|amd-spot",
      "huawei.com/Ascend910, -,                       ascend-spot",
      "huawei.com/Ascend910, huawei-Ascend910,        ascend-spot",
      "amd.com/gpu,          MI250,                   -",
      "intel.com/gpu,        -,                       -"})
  void replicasOnlyLandOnPoolsOfTheirAccelerator(String resource, String model, String pools) {
    var ask = new ReplicaPlanner.Request("ij", "default", Map.of(), 1, model, resource);
    var out = planner.plan(mixedVendors(), ask, 4, 1, 80, List.of(), List.of(0, 1, 2, 3));
    if (pools == null) {
      assertThat(out).allMatch(d -> d.decision() instanceof Decision.Wait w && w.reason() == Decision.WaitReason.NoMatchingPool
          && w.message().contains(resource));
      return;
    }
    assertThat(out).allMatch(d -> d.decision() instanceof Decision.Placed);
    var used = out.stream().map(d -> ((Decision.Placed) d.decision()).pool().name()).collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(String.join("|", used)).isEqualTo(pools);
  }
}
