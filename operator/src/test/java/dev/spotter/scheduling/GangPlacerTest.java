package dev.spotter.scheduling;

import static dev.spotter.api.CapacityType.OnDemand;
import static dev.spotter.api.CapacityType.Spot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.CapacityType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GangPlacerTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final GangPlacer PLACER = new GangPlacer(new SpotMix(0.8), Duration.ofMinutes(30), Clock.fixed(NOW, ZoneOffset.UTC));

  static GangRequest req(int workers, int gpus, CapacityPolicy policy) {
    return new GangRequest("j", "default", Map.of(), workers, gpus, null, Accelerators.NVIDIA, policy, NOW, Duration.ofMinutes(10), null, null, null);
  }

  /** The same request for another accelerator resource and, optionally, model. */
  static GangRequest asking(GangRequest r, String resource, String model) {
    return new GangRequest(r.job(), r.namespace(), r.namespaceLabels(), r.workers(), r.gpusPerWorker(), model, resource,
        r.policy(), r.pendingSince(), r.maxSpotWait(), r.deadline(), r.remaining(), r.forced());
  }

  /** The cheapest spot pool is AMD, the next Ascend, then NVIDIA, plus NVIDIA on-demand. */
  static Fleets mixedVendors() {
    return Fleets.empty()
        .pool("od", OnDemand, "a", 10.0, 8, 8)
        .pool("amd-spot", Spot, "a", 1.0, Accelerators.AMD, "AMD_Instinct_MI300X_OAM", 8, 8)
        .pool("ascend-spot", Spot, "a", 1.5, Accelerators.ASCEND_910, "huawei-Ascend910", 8, 8)
        .pool("nvidia-spot", Spot, "a", 2.0, 8, 8);
  }

  static GangRequest waited(GangRequest r, Duration waited) {
    return new GangRequest(r.job(), r.namespace(), r.namespaceLabels(), r.workers(), r.gpusPerWorker(), r.gpuModel(), r.gpuResource(),
        r.policy(), NOW.minus(waited), r.maxSpotWait(), r.deadline(), r.remaining(), r.forced());
  }

  static GangRequest deadline(GangRequest r, Instant deadline, Duration remaining) {
    return new GangRequest(r.job(), r.namespace(), r.namespaceLabels(), r.workers(), r.gpusPerWorker(), r.gpuModel(), r.gpuResource(),
        r.policy(), r.pendingSince(), r.maxSpotWait(), deadline, remaining, r.forced());
  }

  static Fleets standard() {
    return Fleets.empty()
        .pool("od", OnDemand, "a", 10.0, 8, 8)
        .pool("spot-a", Spot, "a", 2.0, 8, 8)
        .pool("spot-b", Spot, "b", 2.5, 8, 8);
  }

  /** name, fleet, request, expected pool (null = waits), expected wait reason. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty fleet, spot preferred: cheapest spot pool", standard(), req(2, 8, CapacityPolicy.SpotPreferred), "spot-a", null),
        Arguments.of("gang larger than any pool waits", standard(), req(3, 8, CapacityPolicy.SpotPreferred), null, Decision.WaitReason.InsufficientCapacity),
        Arguments.of("cheapest spot full: next spot pool", standard().used("spot-a-0", 8).used("spot-a-1", 1), req(2, 8, CapacityPolicy.SpotPreferred), "spot-b", null),
        Arguments.of("fleet above target: on-demand", standard().allocated(90, 10), req(1, 1, CapacityPolicy.SpotPreferred), "od", null),
        Arguments.of("fleet below target: spot", standard().allocated(70, 30), req(1, 1, CapacityPolicy.SpotPreferred), "spot-a", null),
        Arguments.of("above target but on-demand full: spot", standard().allocated(90, 10).used("od-0", 8).used("od-1", 8), req(1, 1, CapacityPolicy.SpotPreferred), "spot-a", null),
        Arguments.of("spot full, wait not over: waits", standard().used("spot-a-0", 8).used("spot-a-1", 8).used("spot-b-0", 8).used("spot-b-1", 8),
            req(1, 8, CapacityPolicy.SpotPreferred), null, Decision.WaitReason.InsufficientCapacity),
        Arguments.of("spot full, wait over: on-demand", standard().used("spot-a-0", 8).used("spot-a-1", 8).used("spot-b-0", 8).used("spot-b-1", 8),
            waited(req(1, 8, CapacityPolicy.SpotPreferred), Duration.ofMinutes(11)), "od", null),
        Arguments.of("spot-only never falls back", standard().used("spot-a-0", 8).used("spot-a-1", 8).used("spot-b-0", 8).used("spot-b-1", 8),
            waited(req(1, 8, CapacityPolicy.SpotOnly), Duration.ofDays(2)), null, Decision.WaitReason.InsufficientCapacity),
        Arguments.of("on-demand-only ignores the mix", standard(), req(1, 1, CapacityPolicy.OnDemandOnly), "od", null),
        Arguments.of("on-demand-only with no on-demand pool", Fleets.empty().pool("spot-a", Spot, "a", 2.0, 8), req(1, 1, CapacityPolicy.OnDemandOnly),
            null, Decision.WaitReason.NoMatchingPool),
        Arguments.of("no spot pool could ever hold the gang: on-demand at once", Fleets.empty().pool("od", OnDemand, "a", 10.0, 8, 8).pool("spot-a", Spot, "a", 2.0, 4),
            req(2, 8, CapacityPolicy.SpotPreferred), "od", null),
        Arguments.of("deadline close: on-demand first", standard(),
            deadline(req(1, 8, CapacityPolicy.SpotPreferred), NOW.plus(Duration.ofHours(2)), Duration.ofHours(2)), "od", null),
        Arguments.of("deadline far: spot", standard(),
            deadline(req(1, 8, CapacityPolicy.SpotPreferred), NOW.plus(Duration.ofHours(20)), Duration.ofHours(2)), "spot-a", null),
        Arguments.of("unusable nodes hold nothing", standard().unusable("spot-a-0").unusable("spot-a-1"), req(1, 8, CapacityPolicy.SpotPreferred), "spot-b", null),
        Arguments.of("fragmented pool cannot take a whole-node worker", standard().used("spot-a-0", 1).used("spot-a-1", 1).used("spot-b-0", 1).used("spot-b-1", 1),
            waited(req(1, 8, CapacityPolicy.SpotOnly), Duration.ZERO), null, Decision.WaitReason.InsufficientCapacity),
        // accelerators: a job lands only on a pool offering the resource it asked for
        Arguments.of("nvidia job skips cheaper AMD and Ascend spot pools", mixedVendors(), req(1, 8, CapacityPolicy.SpotPreferred), "nvidia-spot", null),
        Arguments.of("amd job lands on the AMD pool", mixedVendors(), asking(req(2, 8, CapacityPolicy.SpotPreferred), Accelerators.AMD, null), "amd-spot", null),
        Arguments.of("ascend job lands on the Ascend pool", mixedVendors(), asking(req(1, 8, CapacityPolicy.SpotPreferred), Accelerators.ASCEND_910, null), "ascend-spot", null),
        Arguments.of("amd job with the right model", mixedVendors(), asking(req(1, 4, CapacityPolicy.SpotPreferred), Accelerators.AMD, "AMD_Instinct_MI300X_OAM"), "amd-spot", null),
        Arguments.of("amd job with a model no AMD pool has waits", mixedVendors(), asking(req(1, 4, CapacityPolicy.SpotPreferred), Accelerators.AMD, "H100"),
            null, Decision.WaitReason.NoMatchingPool),
        Arguments.of("amd pool full: amd job waits rather than take NVIDIA", mixedVendors().used("amd-spot-0", 8).used("amd-spot-1", 8),
            asking(req(1, 8, CapacityPolicy.SpotOnly), Accelerators.AMD, null), null, Decision.WaitReason.InsufficientCapacity),
        Arguments.of("amd job, only NVIDIA pools: no matching pool", standard(), asking(req(1, 1, CapacityPolicy.SpotPreferred), Accelerators.AMD, null),
            null, Decision.WaitReason.NoMatchingPool),
        Arguments.of("ascend on-demand-only job, Ascend has spot only", mixedVendors(), asking(req(1, 1, CapacityPolicy.OnDemandOnly), Accelerators.ASCEND_910, null),
            null, Decision.WaitReason.NoMatchingPool));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void placesOrWaits(String name, Fleets fleet, GangRequest req, String pool, Decision.WaitReason reason) {
    Decision d = PLACER.place(fleet.snapshot(), req);
    if (pool == null) {
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(((Decision.Wait) d).reason()).isEqualTo(reason);
      assertThat(((Decision.Wait) d).message()).isNotBlank();
    } else {
      assertThat(d).isInstanceOf(Decision.Placed.class);
      Decision.Placed p = (Decision.Placed) d;
      assertThat(p.pool().name()).isEqualTo(pool);
      assertThat(p.nodes()).hasSize(req.workers());
      assertThat(p.why()).isNotBlank();
    }
  }

  @org.junit.jupiter.api.Test
  void bestFitPacksWorkersOntoTheFullestNodesThatHoldThem() {
    Snapshot s = Fleets.empty().pool("p", Spot, "a", 2.0, 8, 8, 8).used("p-0", 6).used("p-1", 2).snapshot();
    Decision.Placed d = (Decision.Placed) PLACER.place(s, req(3, 2, CapacityPolicy.SpotOnly));
    // p-0 has 2 free (fits one worker), then p-1 (6 free) takes the next two
    assertThat(d.nodes()).containsExactly("p-0", "p-1", "p-1");
  }

  @org.junit.jupiter.api.Test
  void namespaceSelectorIsAlwaysEnforced() {
    Selector teamA = new Selector(Map.of("team", "a"), List.of());
    Snapshot s = Fleets.empty().pool("a-only", Spot, "a", 1.0, teamA, 8).snapshot();
    GangRequest fromB = new GangRequest("j", "team-b", Map.of("team", "b"), 1, 1, null, Accelerators.NVIDIA, CapacityPolicy.SpotPreferred, NOW,
        Duration.ZERO, null, null, null);
    Decision d = PLACER.place(s, fromB);
    assertThat(d).isInstanceOf(Decision.Wait.class);
    assertThat(((Decision.Wait) d).reason()).isEqualTo(Decision.WaitReason.PoolNotPermitted);
    assertThat(((Decision.Wait) d).message()).contains("team-b").contains("a-only");
    GangRequest fromA = new GangRequest("j", "team-a", Map.of("team", "a"), 1, 1, null, Accelerators.NVIDIA, CapacityPolicy.SpotPreferred, NOW,
        Duration.ZERO, null, null, null);
    assertThat(PLACER.place(s, fromA)).isInstanceOf(Decision.Placed.class);
  }

  @org.junit.jupiter.api.Test
  void gpuModelMustMatch() {
    Snapshot s = standard().snapshot();
    GangRequest a100 = new GangRequest("j", "default", Map.of(), 1, 1, "A100", Accelerators.NVIDIA, CapacityPolicy.SpotPreferred, NOW,
        Duration.ZERO, null, null, null);
    Decision d = PLACER.place(s, a100);
    assertThat(((Decision.Wait) d).reason()).isEqualTo(Decision.WaitReason.NoMatchingPool);
  }

  @org.junit.jupiter.api.Test
  void sequentialSingleGpuJobsConvergeOnTheTarget() {
    // the same rule the operator applies: admit 100 one-GPU jobs one by one
    long spot = 0;
    long od = 0;
    Set<CapacityType> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      Snapshot s = Fleets.empty().pool("od", OnDemand, "a", 10.0, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8)
          .pool("spot", Spot, "a", 2.0, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8).allocated(spot, od).snapshot();
      Decision.Placed p = (Decision.Placed) PLACER.place(s, req(1, 1, CapacityPolicy.SpotPreferred));
      seen.add(p.capacityType());
      if (p.capacityType() == Spot) {
        spot++;
      } else {
        od++;
      }
    }
    assertThat(spot).isEqualTo(80);
    assertThat(seen).containsExactlyInAnyOrder(Spot, OnDemand);
  }

  @org.junit.jupiter.api.Test
  void aJobWhoseSpotWaitIsOverWhileOnDemandIsFullTooGetsNoRecheckTimeInThePast() {
    Fleets full = standard().used("spot-a-0", 8).used("spot-a-1", 8).used("spot-b-0", 8).used("spot-b-1", 8)
        .used("od-0", 8).used("od-1", 8);
    Decision.Wait during = (Decision.Wait) PLACER.place(full.snapshot(), waited(req(1, 8, CapacityPolicy.SpotPreferred), Duration.ofMinutes(3)));
    assertThat(during.recheckAt()).isEqualTo(NOW.plus(Duration.ofMinutes(7)));
    assertThat(during.message()).contains("falls back to on-demand at " + NOW.plus(Duration.ofMinutes(7)));
    // once the wait is over, a time in the past would have the job rechecked in a tight loop
    Decision.Wait after = (Decision.Wait) PLACER.place(full.snapshot(), waited(req(1, 8, CapacityPolicy.SpotPreferred), Duration.ofMinutes(11)));
    assertThat(after.reason()).isEqualTo(Decision.WaitReason.InsufficientCapacity);
    assertThat(after.recheckAt()).isNull();
    assertThat(after.message()).contains("waited for spot until " + NOW.minus(Duration.ofMinutes(1)) + " and on-demand is full as well")
        .doesNotContain("falls back");
  }
}
