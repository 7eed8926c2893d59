package dev.spotter.scheduling;

import static dev.spotter.api.CapacityType.OnDemand;
import static dev.spotter.api.CapacityType.Spot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.SpotterPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost policy's advice as {@link CostAdvisor} asks it and {@link GangPlacer} follows it. */
class CostAdviceTest {
  static final Instant NOW = GangPlacerTest.NOW;
  static final SpotterPolicy POLICY = new SpotterPolicy(Duration.ofMinutes(5));
  final Map<String, AvailabilityHistory> histories = new HashMap<>();

  static GangRequest advised(dev.spotter.policy.Decision d) {
    return GangPlacerTest.req(1, 8, CapacityPolicy.SpotPreferred).withAdvice(new GangRequest.Advice(d, NOW.plusSeconds(300)));
  }

  static JobSituation job(Duration work, Duration left) {
    return new JobSituation(work, left, 0.3, Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, Placement.IDLE, 1);
  }

  @Test
  void advisedSpotGoesToTheNamedPoolEvenWhenAnotherIsCheaper() {
    var d = GangPlacerTest.PLACER.place(GangPlacerTest.standard().snapshot(),
        advised(new dev.spotter.policy.Decision(Placement.spot("spot-b"), "cheaper pool has spot")));
    assertThat(d).isInstanceOfSatisfying(Decision.Placed.class, p -> {
      assertThat(p.pool().name()).isEqualTo("spot-b");
      assertThat(p.why()).isEqualTo("cost policy: cheaper pool has spot");
    });
  }

  @Test
  void advisedOnDemandIsTakenWhateverTheFleetMix() {
    // the fleet is far below its spot target, which alone would send the job to spot
    var snapshot = GangPlacerTest.standard().allocated(0, 800).snapshot();
    var d = GangPlacerTest.PLACER.place(snapshot, advised(new dev.spotter.policy.Decision(Placement.ON_DEMAND, "deadline")));
    assertThat(d).isInstanceOfSatisfying(Decision.Placed.class, p -> assertThat(p.capacityType()).isEqualTo(OnDemand));
  }

  @Test
  void advisedWaitingWaitsUntilTheNextPolicyStepThoughSpotAndOnDemandHaveRoom() {
    var d = GangPlacerTest.PLACER.place(GangPlacerTest.standard().snapshot(),
        advised(new dev.spotter.policy.Decision(Placement.IDLE, "slack to spare: wait for spot")));
    assertThat(d).isInstanceOfSatisfying(Decision.Wait.class, w -> {
      assertThat(w.reason()).isEqualTo(Decision.WaitReason.InsufficientCapacity);
      assertThat(w.message()).startsWith("cost policy: slack to spare: wait for spot");
      assertThat(w.recheckAt()).isEqualTo(NOW.plusSeconds(300));
    });
  }

  @Test
  void advisedSpotOnAFullPoolWaitsAndSaysSo() {
    var snapshot = GangPlacerTest.standard().used("spot-b-0", 4).used("spot-b-1", 8).snapshot();
    var d = GangPlacerTest.PLACER.place(snapshot, advised(new dev.spotter.policy.Decision(Placement.spot("spot-b"), "spot available")));
    assertThat(d).isInstanceOfSatisfying(Decision.Wait.class, w ->
        assertThat(w.message()).contains("pool spot-b has no room now"));
  }

  @Test
  void theAdvisorOffersOnlyPermittedPoolsAndMarksThoseTheGangFits() {
    var snapshot = Fleets.empty()
        .pool("od", OnDemand, "a", 10.0, 8)
        .pool("spot-full", Spot, "a", 1.0, 8)
        .used("spot-full-0", 8)
        .pool("spot-b", Spot, "b", 2.0, 8)
        .snapshot();
    var d = CostAdvisor.advise(snapshot, GangPlacerTest.req(1, 8, CapacityPolicy.SpotPreferred),
        job(Duration.ofHours(10), Duration.ofHours(100)), p -> histories.computeIfAbsent(p, x -> new AvailabilityHistory()), POLICY);
    assertThat(d.placement()).as("the cheaper pool is full: the policy can only take the other").isEqualTo(Placement.spot("spot-b"));
  }

  @Test
  void withoutAnOnDemandPoolThereIsNoChoiceToMake() {
    var snapshot = Fleets.empty().pool("spot-a", Spot, "a", 2.0, 8).snapshot();
    assertThat(CostAdvisor.advise(snapshot, GangPlacerTest.req(1, 8, CapacityPolicy.SpotPreferred),
        job(Duration.ofHours(1), Duration.ofHours(2)), p -> new AvailabilityHistory(), POLICY)).isNull();
  }

  @Test
  void noSlackLeftMeansOnDemandNow() {
    var d = CostAdvisor.advise(GangPlacerTest.standard().unusable("spot-a-0").unusable("spot-b-0").snapshot(),
        GangPlacerTest.req(1, 8, CapacityPolicy.SpotPreferred), job(Duration.ofHours(2), Duration.ofHours(2).plusMinutes(10)),
        p -> new AvailabilityHistory(), POLICY);
    assertThat(d.placement()).isEqualTo(Placement.ON_DEMAND);
  }
}
