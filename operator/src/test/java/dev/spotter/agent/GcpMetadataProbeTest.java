package dev.spotter.agent;

import static dev.spotter.agent.AgentFixtures.NOW;
import static dev.spotter.agent.AgentFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.agent.FakeMetadataServer.Reply;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The GCP probe against a local metadata server that insists on Metadata-Flavor and ETags. */
@Timeout(20)
class GcpMetadataProbeTest {
  private static final String PATH = "/computeMetadata/v1/instance/preempted";
  private FakeMetadataServer gce;
  private final AtomicReference<String> value = new AtomicReference<>("FALSE");

  @BeforeEach
  void start() throws IOException {
    gce = new FakeMetadataServer();
    gce.on(
        PATH,
        s -> {
          if (!"Google".equals(s.header("Metadata-Flavor"))) {
            return Reply.of(403, "Missing Metadata-Flavor:Google header.");
          }
          String v = value.get();
          return Reply.of(200, v)
              .withHeader("ETag", v.equals("TRUE") ? "9f3a41c2e1d0b7a8" : "1b2c3d4e5f607182")
              .withHeader("Metadata-Flavor", "Google");
        });
  }

  @AfterEach
  void stop() {
    gce.close();
  }

  @Test
  void notPreemptedIsNoNoticeAndTheNextRequestWaitsForAChange() throws Exception {
    MetadataProbe p = probe(Cloud.Gcp, gce.uri());
    assertEquals(List.of(), p.poll());
    assertEquals(List.of(), p.poll());
    List<FakeMetadataServer.Seen> seen = gce.seen(PATH);
    assertFalse(seen.get(0).pathAndQuery().contains("wait_for_change"));
    assertTrue(
        seen.get(1).pathAndQuery().contains("wait_for_change=true&last_etag=1b2c3d4e5f607182&timeout_sec=1"),
        seen.get(1).pathAndQuery());
  }

  @Test
  void preemptionGivesTheThirtySecondWindow() throws Exception {
    MetadataProbe p = probe(Cloud.Gcp, gce.uri());
    p.poll();
    value.set("TRUE");
    List<Notice> notices = p.poll();
    assertEquals(1, notices.size());
    assertEquals(NoticeKind.SpotInterruption, notices.get(0).kind());
    assertEquals(NOW.plusSeconds(30), notices.get(0).deadline());
  }

  @Test
  void aMalformedValueIsNoNotice() throws Exception {
    value.set("<html>error</html>");
    assertEquals(List.of(), probe(Cloud.Gcp, gce.uri()).poll());
  }

  @Test
  void aHangingWaitForChangeIsCutAtTheWaitPlusTheRequestTimeout() throws Exception {
    MetadataProbe p = probe(Cloud.Gcp, gce.uri());
    p.poll();
    gce.on(PATH, Reply.of(200, "FALSE").after(Duration.ofSeconds(5)));
    long start = System.nanoTime();
    assertThrows(IOException.class, p::poll);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofMillis(1200)) > 0 && took.compareTo(Duration.ofSeconds(3)) < 0, took.toString());
  }

  @Test
  void aDownServiceFailsFast() throws Exception {
    var down = FakeMetadataServer.down();
    assertThrows(IOException.class, () -> probe(Cloud.Gcp, down).poll());
  }
}
