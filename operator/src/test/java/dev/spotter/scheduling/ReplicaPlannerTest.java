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
  private final ReplicaPlanner.Request req = new ReplicaPlanner.Request("ij", "default", Map.of(), 1, null, null);

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
}
