package dev.spotter.agent;

import static dev.spotter.agent.AgentFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.agent.FakeMetadataServer.Reply;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Alibaba Cloud ECS and Tencent Cloud CVM probes against local services. */
@Timeout(20)
class ChineseCloudProbesTest {
  private static final String ALIBABA = "/latest/meta-data/instance/spot/termination-time";
  private static final String TENCENT = "/latest/meta-data/spot/termination-time";
  private FakeMetadataServer server;

  @BeforeEach
  void start() throws IOException {
    server = new FakeMetadataServer();
    server.on(
        "/latest/api/token",
        s ->
            "PUT".equals(s.method()) && s.header("X-aliyun-ecs-metadata-token-ttl-seconds") != null
                ? Reply.of(200, "AQAEAFCtoken==")
                : Reply.of(400, ""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void alibaba(Reply reply) {
    server.on(
        ALIBABA,
        s -> "AQAEAFCtoken==".equals(s.header("X-aliyun-ecs-metadata-token")) ? reply : Reply.of(401, ""));
  }

  @Test
  void alibabaNoReclaimIsNoNotice() throws Exception {
    alibaba(Reply.of(404, "Not Found"));
    assertEquals(List.of(), probe(Cloud.Alibaba, server.uri()).poll());
    assertEquals("21600", server.seen("/latest/api/token").get(0).header("X-aliyun-ecs-metadata-token-ttl-seconds"));
  }

  @Test
  void alibabaReclaimTimeIsTheDeadline() throws Exception {
    alibaba(Reply.of(200, "2025-03-01T10:05:00Z"));
    List<Notice> notices = probe(Cloud.Alibaba, server.uri()).poll();
    assertEquals(1, notices.size());
    assertEquals(NoticeSource.AgentAlibaba, notices.get(0).source());
    assertEquals(Instant.parse("2025-03-01T10:05:00Z"), notices.get(0).deadline());
  }

  @Test
  void alibabaMalformedSlowAndDown() throws Exception {
    alibaba(Reply.of(200, "next tuesday"));
    assertEquals(List.of(), probe(Cloud.Alibaba, server.uri()).poll());
    alibaba(Reply.of(200, "2025-03-01T10:05:00Z").after(Duration.ofSeconds(3)));
    assertBoundedFailure(() -> probe(Cloud.Alibaba, server.uri()).poll());
    var down = FakeMetadataServer.down();
    assertThrows(IOException.class, () -> probe(Cloud.Alibaba, down).poll());
  }

  @Test
  void tencentNoReclaimIsNoNotice() throws Exception {
    server.on(TENCENT, Reply.of(404, "<html><body><h1>404 Not Found</h1></body></html>"));
    assertEquals(List.of(), probe(Cloud.Tencent, server.uri()).poll());
  }

  @Test
  void tencentReclaimTimeIsConvertedFromUtcPlusEight() throws Exception {
    server.on(TENCENT, Reply.of(200, "2025-03-01 18:02:00"));
    List<Notice> notices = probe(Cloud.Tencent, server.uri()).poll();
    assertEquals(1, notices.size());
    assertEquals(NoticeSource.AgentTencent, notices.get(0).source());
    assertEquals(Instant.parse("2025-03-01T10:02:00Z"), notices.get(0).deadline());
  }

  @Test
  void tencentMalformedSlowAndDown() throws Exception {
    server.on(TENCENT, Reply.of(200, "2025/03/01 18:02"));
    assertEquals(List.of(), probe(Cloud.Tencent, server.uri()).poll());
    server.on(TENCENT, Reply.of(200, "2025-03-01 18:02:00").after(Duration.ofSeconds(3)));
    assertBoundedFailure(() -> probe(Cloud.Tencent, server.uri()).poll());
    var down = FakeMetadataServer.down();
    assertThrows(IOException.class, () -> probe(Cloud.Tencent, down).poll());
  }

  private static void assertBoundedFailure(org.junit.jupiter.api.function.Executable poll) {
    long start = System.nanoTime();
    assertThrows(IOException.class, poll);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
  }
}
