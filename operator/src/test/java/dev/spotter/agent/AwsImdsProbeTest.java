package dev.spotter.agent;

import static dev.spotter.agent.AgentFixtures.NOW;
import static dev.spotter.agent.AgentFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.agent.FakeMetadataServer.Reply;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AWS probe against a local IMDSv2 that checks tokens as the real one does. */
@Timeout(20)
class AwsImdsProbeTest {
  private static final String ACTION = "/latest/meta-data/spot/instance-action";
  private static final String REBALANCE = "/latest/meta-data/events/recommendations/rebalance";
  private FakeMetadataServer imds;
  private final AtomicInteger tokensIssued = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    imds = new FakeMetadataServer();
    imds.on(
        "/latest/api/token",
        s -> {
          String ttl = s.header("X-aws-ec2-metadata-token-ttl-seconds");
          if (!"PUT".equals(s.method()) || ttl == null || Integer.parseInt(ttl) > 21600) {
            return Reply.of(400, "");
          }
          return Reply.of(200, "token-" + tokensIssued.incrementAndGet());
        });
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  /** IMDSv2 answers 401 without the current token. */
  private void serve(String path, Reply reply) {
    imds.on(
        path,
        s ->
            ("token-" + tokensIssued.get()).equals(s.header("X-aws-ec2-metadata-token"))
                ? reply
                : Reply.of(401, ""));
  }

  @Test
  void nothingScheduledIsNoNotice() throws Exception {
    serve(ACTION, Reply.of(404, "Not Found"));
    serve(REBALANCE, Reply.of(404, "Not Found"));
    assertEquals(List.of(), probe(Cloud.Aws, imds.uri()).poll());
    FakeMetadataServer.Seen put = imds.seen("/latest/api/token").get(0);
    assertEquals("21600", put.header("X-aws-ec2-metadata-token-ttl-seconds"));
  }

  @Test
  void instanceActionAndRebalanceAreBothReported() throws Exception {
    serve(ACTION, Reply.of(200, "{\"action\": \"terminate\", \"time\": \"2025-03-01T10:02:00Z\"}"));
    serve(REBALANCE, Reply.of(200, "{\"noticeTime\": \"2025-03-01T09:58:00Z\"}"));
    List<Notice> notices = probe(Cloud.Aws, imds.uri()).poll();
    assertEquals(2, notices.size());
    assertEquals(NoticeKind.SpotInterruption, notices.get(0).kind());
    assertEquals(Instant.parse("2025-03-01T10:02:00Z"), notices.get(0).deadline());
    assertEquals(NoticeKind.RebalanceRecommendation, notices.get(1).kind());
  }

  @Test
  void theTokenIsReusedAcrossPollsAndRenewedWhenRejected() throws Exception {
    serve(ACTION, Reply.of(404, ""));
    serve(REBALANCE, Reply.of(404, ""));
    MetadataProbe p = probe(Cloud.Aws, imds.uri());
    p.poll();
    p.poll();
    assertEquals(1, tokensIssued.get());
    // the service restarted and forgot its tokens
    tokensIssued.incrementAndGet();
    p.poll();
    assertEquals(3, tokensIssued.get());
    assertTrue(imds.seen(ACTION).stream().allMatch(s -> s.header("X-aws-ec2-metadata-token") != null));
  }

  @Test
  void theTokenIsRenewedBeforeItExpires() throws Exception {
    serve(ACTION, Reply.of(404, ""));
    serve(REBALANCE, Reply.of(404, ""));
    var clock = new AgentFixtures.MovableClock(NOW);
    MetadataProbe p = probe(Cloud.Aws, imds.uri(), clock);
    p.poll();
    clock.advance(Duration.ofHours(5).plusMinutes(30));
    p.poll();
    assertEquals(2, tokensIssued.get());
  }

  @Test
  void aMalformedBodyIsNoNotice() throws Exception {
    serve(ACTION, Reply.of(200, "{\"action\": \"terminate\""));
    serve(REBALANCE, Reply.of(200, "<html>oops</html>"));
    assertEquals(List.of(), probe(Cloud.Aws, imds.uri()).poll());
  }

  @Test
  void aSlowServiceTimesOutQuickly() {
    serve(ACTION, Reply.of(200, "{}").after(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    assertThrows(IOException.class, () -> probe(Cloud.Aws, imds.uri()).poll());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
  }

  @Test
  void aDownServiceFailsFast() throws Exception {
    var down = FakeMetadataServer.down();
    assertThrows(IOException.class, () -> probe(Cloud.Aws, down).poll());
  }
}
