package dev.spotter.agent;

import static dev.spotter.agent.AgentFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.InterruptionMark;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import dev.spotter.preemption.source.NoticeContext;
import dev.spotter.preemption.source.NoticeParsers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node patch against the fabric8 mock API server in CRUD mode. */
@Timeout(30)
class KubernetesNodeMarkerTest {
  private static final String ME = "ip-10-0-88-200.ec2.internal";
  private static final String NEIGHBOUR = "ip-10-0-88-201.ec2.internal";
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
    client.nodes().resource(node(ME)).create();
    client.nodes().resource(node(NEIGHBOUR)).create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private static Node node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("karpenter.sh/capacity-type", "spot")
        .endMetadata()
        .withNewSpec()
        .withProviderID("aws:///us-east-1d/i-0d15ea5e0d15ea5e0")
        .addNewTaint()
        .withKey("nvidia.com/gpu")
        .withValue("true")
        .withEffect("NoSchedule")
        .endTaint()
        .endSpec()
        .build();
  }

  private static Notice notice(NoticeKind kind) {
    return new Notice(ME, kind, NoticeSource.AgentAws, NOW.plusSeconds(120), NOW, "instance-action terminate");
  }

  @Test
  void taintAndAnnotationLandOnTheAgentsNodeOnly() {
    Notice n = notice(NoticeKind.SpotInterruption);
    assertTrue(new KubernetesNodeMarker(client).mark(n));

    Node mine = client.nodes().withName(ME).get();
    Taint mark = taint(mine, InterruptionMark.KEY);
    assertEquals("SpotInterruption", mark.getValue());
    assertEquals("NoSchedule", mark.getEffect());
    assertEquals("true", taint(mine, "nvidia.com/gpu").getValue());
    assertEquals(n, InterruptionMark.decode(ME, mine.getMetadata().getAnnotations().get(InterruptionMark.KEY), Instant.EPOCH));

    Node other = client.nodes().withName(NEIGHBOUR).get();
    assertNull(taint(other, InterruptionMark.KEY));
    assertTrue(other.getMetadata().getAnnotations() == null
        || !other.getMetadata().getAnnotations().containsKey(InterruptionMark.KEY));
  }

  @Test
  void markingTwiceChangesNothingTheSecondTime() {
    var marker = new KubernetesNodeMarker(client);
    assertTrue(marker.mark(notice(NoticeKind.SpotInterruption)));
    String version = client.nodes().withName(ME).get().getMetadata().getResourceVersion();
    assertFalse(marker.mark(notice(NoticeKind.SpotInterruption)));
    // a fresh agent (after a restart) sees the mark on the node too
    assertFalse(new KubernetesNodeMarker(client).mark(notice(NoticeKind.RebalanceRecommendation)));
    assertEquals(version, client.nodes().withName(ME).get().getMetadata().getResourceVersion());
  }

  @Test
  void aMoreUrgentNoticeReplacesTheMarkWithoutDuplicatingTheTaint() {
    var marker = new KubernetesNodeMarker(client);
    marker.mark(notice(NoticeKind.RebalanceRecommendation));
    assertTrue(marker.mark(notice(NoticeKind.SpotInterruption)));
    Node mine = client.nodes().withName(ME).get();
    assertEquals(1, mine.getSpec().getTaints().stream().filter(t -> InterruptionMark.KEY.equals(t.getKey())).count());
    assertEquals("SpotInterruption", taint(mine, InterruptionMark.KEY).getValue());
  }

  @Test
  void aMissingNodeIsAnErrorTheAgentRetries() {
    Notice ghost = new Notice("no-such-node", NoticeKind.SpotInterruption, NoticeSource.AgentAws, NOW, NOW, "");
    assertThrows(IllegalStateException.class, () -> new KubernetesNodeMarker(client).mark(ghost));
  }

  @Test
  void endToEndTheOperatorReadsBackWhatTheAgentSawInImds() throws Exception {
    try (var imds = new FakeMetadataServer()) {
      imds.on("/latest/api/token", FakeMetadataServer.Reply.of(200, "tok"));
      imds.on(
          "/latest/meta-data/spot/instance-action",
          FakeMetadataServer.Reply.of(200, "{\"action\": \"terminate\", \"time\": \"2025-03-01T10:02:00Z\"}"));
      var config = AgentFixtures.config(Cloud.Aws, imds.uri());
      var agentConfig =
          new AgentConfig(ME, Cloud.Aws, config.endpoints(), config.pollInterval(), config.connectTimeout(),
              config.requestTimeout(), config.tokenTtl(), config.gcpWait(), null, config.windows());
      var ctx = new NoticeContext(Clock.fixed(NOW, ZoneOffset.UTC), config.windows());
      var agent = new NoticeAgent(MetadataProbes.forCloud(Cloud.Aws, agentConfig, ctx), new KubernetesNodeMarker(client), config.pollInterval());
      assertEquals(1, agent.pollOnce().size());

      List<Notice> seenByOperator = NoticeParsers.all(ctx).fromNode(client.nodes().withName(ME).get());
      assertEquals(1, seenByOperator.size());
      Notice n = seenByOperator.get(0);
      assertEquals(NoticeKind.SpotInterruption, n.kind());
      assertEquals(NoticeSource.AgentAws, n.source());
      assertEquals(Instant.parse("2025-03-01T10:02:00Z"), n.deadline());
      assertEquals(List.of(), NoticeParsers.all(ctx).fromNode(client.nodes().withName(NEIGHBOUR).get()));
    }
  }

  private static Taint taint(Node n, String key) {
    return n.getSpec().getTaints().stream().filter(t -> key.equals(t.getKey())).findFirst().orElse(null);
  }
}
