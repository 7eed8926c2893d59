package dev.spotter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import dev.spotter.preemption.source.CloudDetector;
import dev.spotter.preemption.source.NoticeContext;
import dev.spotter.preemption.source.NoticeParsers;
import dev.spotter.sim.Trace;
import dev.spotter.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --cloud-pool}: one spot pool dressed as an Alibaba Cloud or Tencent Cloud pool. Its nodes
 * are recognised as that cloud's, and the operator's own parsers read its notices as agent notices
 * with the right source and a deadline the operator's real clock can act on.
 */
class CloudPoolTest {
  private static final Instant T0 = Instant.parse("2025-10-04T00:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private final MutableClock clock = new MutableClock(T0);

  private static Trace trace(String zone, int... up) {
    int[] machines = Arrays.stream(up).map(u -> u == 1 ? Trace.UNLIMITED : 0).toArray();
    double[] prices = new double[machines.length];
    Arrays.fill(prices, 16.0);
    return new Trace(zone, 600, T0, 8, prices, 80.0, machines);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"alibaba, Alibaba, agent-alibaba, alibabacloud.com/nodepool-id",
              "tencent, Tencent, agent-tencent, tke.cloud.tencent.com/nodepool-id"})
  void theDressedPoolLooksLikeThatCloudAndItsNoticesAreAgentMarks(String option, String cloud, String source, String poolLabel) {
    CloudPool cp = CloudPool.parse(option);
    List<TraceDriver.SpotPool> pools = List.of(
        new TraceDriver.SpotPool("spot-ap-a", "ap-southeast-1a", trace("ap-southeast-1a", 1, 0), 1),
        new TraceDriver.SpotPool("spot-ap-b", "ap-southeast-1b", trace("ap-southeast-1b", 1, 0), 1));
    TraceDriver driver = new TraceDriver(pools, 0, T0, WINDOW, clock);
    try (EmbeddedApiServer api = new EmbeddedApiServer()) {
      // the demo runs 60x faster than the trace: a 5 min reclaim window is 5 s of real time
      ClusterNodes nodes = new ClusterNodes(api.client(), DemoFleet.GPU_MODEL, 8)
          .withCloudPool(cp, "spot-ap-a", d -> d.dividedBy(60));
      nodes.apply(driver.advance());

      Node dressed = api.client().nodes().withName("spot-ap-a-n1").get();
      Node plain = api.client().nodes().withName("spot-ap-b-n1").get();
      assertThat(CloudDetector.fromProviderId(dressed.getSpec().getProviderID())).isEqualTo(Cloud.valueOf(cloud));
      assertThat(dressed.getMetadata().getLabels()).containsKey(poolLabel)
          .doesNotContainKey("cloud.google.com/gke-spot").doesNotContainKey("karpenter.sh/capacity-type");
      assertThat(plain.getMetadata().getLabels()).containsEntry("cloud.google.com/gke-spot", "true");

      clock.advance(Duration.ofSeconds(600)); // both zones lose spot
      Instant before = Instant.now();
      nodes.apply(driver.advance());

      dressed = api.client().nodes().withName("spot-ap-a-n1").get();
      assertThat(dressed.getSpec().getTaints()).extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(InterruptionMark.KEY, "SpotInterruption", "NoSchedule"));
      List<Notice> notices = NoticeParsers.all(NoticeContext.defaults()).fromNode(dressed);
      assertThat(notices).hasSize(1);
      Notice n = notices.get(0);
      assertThat(n.source()).isEqualTo(NoticeSource.fromTag(source).orElseThrow());
      assertThat(n.kind()).isEqualTo(NoticeKind.SpotInterruption);
      assertThat(n.deadline()).isBetween(before.plusSeconds(4), Instant.now().plusSeconds(6));

      // the other pool still gets GKE's taint
      assertThat(api.client().nodes().withName("spot-ap-b-n1").get().getSpec().getTaints())
          .extracting(Taint::getKey).containsExactly(ClusterNodes.NOTICE_TAINT);
    }
  }

  @Test
  void anUnknownCloudIsRefusedWithTheChoices() {
    assertThat(CloudPool.parse("none")).isEqualTo(CloudPool.NONE);
    assertThat(CloudPool.parse("Alibaba")).isEqualTo(CloudPool.ALIBABA);
    assertThatThrownBy(() -> CloudPool.parse("huawei")).hasMessageContaining("alibaba, tencent or none");
  }
}
