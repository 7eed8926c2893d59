package dev.spotter.agent;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Azure probe against a local IMDS that requires the Metadata header. */
@Timeout(20)
class AzureScheduledEventsProbeTest {
  private static final String EVENTS = "/metadata/scheduledevents";
  private static final String PREEMPT =
      "{\"DocumentIncarnation\":2,\"Events\":[{\"EventId\":\"A1\",\"EventStatus\":\"Scheduled\","
          + "\"EventType\":\"Preempt\",\"ResourceType\":\"VirtualMachine\",\"Resources\":[\"%s\"],"
          + "\"NotBefore\":\"Sat, 01 Mar 2025 10:00:30 GMT\",\"Description\":\"\","
          + "\"EventSource\":\"Platform\",\"DurationInSeconds\":-1}]}";
  private FakeMetadataServer imds;

  @BeforeEach
  void start() throws IOException {
    imds = new FakeMetadataServer();
    imds.on(
        "/metadata/instance/compute/name",
        s -> "true".equals(s.header("Metadata")) ? Reply.of(200, "vmss_4") : Reply.of(400, "{\"error\":\"Bad request\"}"));
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  private void events(String body) {
    imds.on(
        EVENTS,
        s ->
            "true".equals(s.header("Metadata")) && s.pathAndQuery().contains("api-version=2020-07-01")
                ? Reply.of(200, body)
                : Reply.of(400, "{\"error\":\"Bad request\"}"));
  }

  @Test
  void noEventsIsNoNotice() throws Exception {
    events("{\"DocumentIncarnation\":0,\"Events\":[]}");
    assertEquals(List.of(), probe(Cloud.Azure, imds.uri()).poll());
  }

  @Test
  void aPreemptForThisVmIsANoticeAndNothingIsAcknowledged() throws Exception {
    events(String.format(PREEMPT, "vmss_4"));
    List<Notice> notices = probe(Cloud.Azure, imds.uri()).poll();
    assertEquals(1, notices.size());
    assertEquals(NoticeKind.SpotInterruption, notices.get(0).kind());
    assertEquals(Instant.parse("2025-03-01T10:00:30Z"), notices.get(0).deadline());
    assertTrue(imds.seen().stream().noneMatch(s -> s.method().equals("POST")));
  }

  @Test
  void aPreemptForAnotherVmOfTheScaleSetIsIgnored() throws Exception {
    events(String.format(PREEMPT, "vmss_7"));
    assertEquals(List.of(), probe(Cloud.Azure, imds.uri()).poll());
  }

  @Test
  void theVmNameIsAskedOnlyOnce() throws Exception {
    events("{\"DocumentIncarnation\":0,\"Events\":[]}");
    MetadataProbe p = probe(Cloud.Azure, imds.uri());
    p.poll();
    p.poll();
    assertEquals(1, imds.seen("/metadata/instance/compute/name").size());
  }

  @Test
  void aMalformedBodyIsNoNotice() throws Exception {
    events("{\"DocumentIncarnation\":1,\"Events\":{}}");
    assertEquals(List.of(), probe(Cloud.Azure, imds.uri()).poll());
    events("Service Unavailable");
    assertEquals(List.of(), probe(Cloud.Azure, imds.uri()).poll());
  }

  @Test
  void aSlowServiceTimesOutQuickly() {
    imds.on(EVENTS, Reply.of(200, "{}").after(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    assertThrows(IOException.class, () -> probe(Cloud.Azure, imds.uri()).poll());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
  }

  @Test
  void aDownServiceFailsFast() throws Exception {
    var down = FakeMetadataServer.down();
    assertThrows(IOException.class, () -> probe(Cloud.Azure, down).poll());
  }
}
