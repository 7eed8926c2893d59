package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.sim.Trace;
import dev.spotter.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace driver on an injected clock: notices, removals after the window, nodes coming back. */
class TraceDriverTest {
  private static final Instant T0 = Instant.parse("2025-10-04T00:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(30);
  private final MutableClock clock = new MutableClock(T0);

  /** A trace of 600 s ticks; 1 = spot there (as many machines as wanted), 0 = none. */
  private static Trace trace(String zone, int... up) {
    int[] machines = Arrays.stream(up).map(u -> u == 1 ? Trace.UNLIMITED : u == 0 ? 0 : u).toArray();
    double[] prices = new double[machines.length];
    Arrays.fill(prices, 16.0);
    return new Trace(zone, 600, T0, 8, prices, 80.0, machines);
  }

  private TraceDriver driver(Trace... traces) {
    List<TraceDriver.SpotPool> pools = Arrays.stream(traces).map(t -> new TraceDriver.SpotPool("spot-" + t.name(), t.name(), t, 2)).toList();
    return new TraceDriver(pools, 0, T0, WINDOW, clock);
  }

  @Test
  void bringsUpTheNodesOfZonesThatHaveSpotAtTheStart() {
    TraceDriver d = driver(trace("zone-a", 1, 1), trace("zone-b", 0, 1));
    List<TraceDriver.NodeEvent> events = d.advance();
    assertThat(events).containsExactly(
        new TraceDriver.Added("spot-zone-a-n1", "spot-zone-a", "zone-a", T0),
        new TraceDriver.Added("spot-zone-a-n2", "spot-zone-a", "zone-a", T0));
    assertThat(d.view()).extracting(TraceDriver.PoolView::nodes).containsExactly(2, 0);
  }

  @Test
  void aZoneLosingSpotNoticesItsNodesThenRemovesThemWhenTheWindowEnds() {
    TraceDriver d = driver(trace("zone-a", 1, 0, 0));
    d.advance();
    clock.advance(Duration.ofSeconds(599));
    assertThat(d.advance()).isEmpty();

    clock.advance(Duration.ofSeconds(1)); // tick 1 starts: spot is gone
    Instant tick1 = T0.plusSeconds(600);
    assertThat(d.advance()).containsExactly(
        new TraceDriver.Noticed("spot-zone-a-n2", "spot-zone-a", tick1, tick1.plus(WINDOW)),
        new TraceDriver.Noticed("spot-zone-a-n1", "spot-zone-a", tick1, tick1.plus(WINDOW)));
    assertThat(d.view().get(0)).isEqualTo(new TraceDriver.PoolView("spot-zone-a", "zone-a", false, 0, 2));
    assertThat(d.notices()).isEqualTo(2);

    clock.advance(WINDOW.minusSeconds(1));
    assertThat(d.advance()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(d.advance()).containsExactly(
        new TraceDriver.Removed("spot-zone-a-n1", "spot-zone-a", tick1.plus(WINDOW)),
        new TraceDriver.Removed("spot-zone-a-n2", "spot-zone-a", tick1.plus(WINDOW)));
    assertThat(d.view().get(0).noticed()).isZero();
    assertThat(d.nodesRemoved()).isEqualTo(2);
  }

  @Test
  void spotComingBackBringsNewNodesWithNewNames() {
    TraceDriver d = driver(trace("zone-a", 1, 0, 1));
    d.advance();
    clock.advance(Duration.ofSeconds(1200)); // past tick 1 (notice) and into tick 2 (back)
    List<TraceDriver.NodeEvent> events = d.advance();
    assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + e.node()).containsExactly(
        "Noticed spot-zone-a-n2", "Noticed spot-zone-a-n1",
        "Removed spot-zone-a-n1", "Removed spot-zone-a-n2",
        "Added spot-zone-a-n3", "Added spot-zone-a-n4");
    assertThat(d.view().get(0)).isEqualTo(new TraceDriver.PoolView("spot-zone-a", "zone-a", true, 2, 0));
  }

  @Test
  void aNoticedNodeStillGoesWhenSpotReturnsWithinItsWindow() {
    TraceDriver d = new TraceDriver(List.of(new TraceDriver.SpotPool("spot-a", "a", trace("a", 1, 0, 1), 1)), 0, T0,
        Duration.ofSeconds(900), clock);
    d.advance();
    clock.advance(Duration.ofSeconds(1200));
    assertThat(d.advance()).extracting(e -> e.getClass().getSimpleName() + " " + e.node())
        .containsExactly("Noticed spot-a-n1", "Added spot-a-n2");
    clock.advance(Duration.ofSeconds(300));
    assertThat(d.advance()).containsExactly(new TraceDriver.Removed("spot-a-n1", "spot-a", T0.plusSeconds(1500)));
  }

  @Test
  void aTraceOfMachineCountsKeepsAsManyNodesAsMachinesCanBeHad() {
    Trace counts = new Trace("z", 600, T0, 8, new double[] {16, 16, 16}, 80, new int[] {3, 1, 3});
    TraceDriver d = new TraceDriver(List.of(new TraceDriver.SpotPool("p", "z", counts, 2)), 0, T0, WINDOW, clock);
    assertThat(d.advance()).hasSize(2); // three machines, but the pool has two nodes
    clock.advance(Duration.ofSeconds(600));
    assertThat(d.advance()).extracting(e -> e.getClass().getSimpleName() + " " + e.node()).containsExactly("Noticed p-n2");
    clock.advance(Duration.ofSeconds(600));
    assertThat(d.advance()).extracting(e -> e.getClass().getSimpleName() + " " + e.node()).containsExactly("Removed p-n2", "Added p-n3");
  }

  @Test
  void aTraceThatEndsTakesSpotAway() {
    TraceDriver d = driver(trace("zone-a", 1));
    d.advance();
    clock.advance(Duration.ofSeconds(600));
    assertThat(d.advance()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Noticed", "Noticed");
  }

  @Test
  void onTheApiServerANoticeIsTheGkeTaintAndTheNodeIsDeletedAfterTheWindow() {
    try (EmbeddedApiServer api = new EmbeddedApiServer()) {
      ClusterNodes nodes = new ClusterNodes(api.client(), DemoFleet.GPU_MODEL, 8);
      TraceDriver d = driver(trace("zone-a", 1, 0, 1));
      nodes.apply(d.advance());
      Node n1 = api.client().nodes().withName("spot-zone-a-n1").get();
      assertThat(n1.getMetadata().getLabels())
          .containsEntry("cloud.google.com/gke-spot", "true")
          .containsEntry("karpenter.sh/capacity-type", "spot")
          .containsEntry("topology.kubernetes.io/zone", "zone-a")
          .containsEntry("spotter.dev/node-group", "spot-zone-a");
      assertThat(n1.getSpec().getTaints()).isNullOrEmpty();

      clock.advance(Duration.ofSeconds(600));
      nodes.apply(d.advance());
      for (String name : List.of("spot-zone-a-n1", "spot-zone-a-n2")) {
        List<Taint> taints = api.client().nodes().withName(name).get().getSpec().getTaints();
        assertThat(taints).extracting(Taint::getKey, Taint::getEffect)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(ClusterNodes.NOTICE_TAINT, "NoSchedule"));
      }

      clock.advance(WINDOW);
      nodes.apply(d.advance());
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(api.client().nodes().list().getItems()).isEmpty());

      clock.advance(Duration.ofSeconds(600));
      nodes.apply(d.advance());
      assertThat(api.client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
          .containsExactlyInAnyOrder("spot-zone-a-n3", "spot-zone-a-n4");
    }
  }
}
