package dev.spotter.agent;

import static dev.spotter.agent.AgentFixtures.NODE;
import static dev.spotter.agent.AgentFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent loop with a scripted probe and an in-memory marker. */
@Timeout(10)
class NoticeAgentTest {
  private static final Notice REBALANCE =
      new Notice(NODE, NoticeKind.RebalanceRecommendation, NoticeSource.AgentAws, NOW.plusSeconds(120), NOW, "");
  private static final Notice INTERRUPTION =
      new Notice(NODE, NoticeKind.SpotInterruption, NoticeSource.AgentAws, NOW.plusSeconds(120), NOW, "");

  /** Plays one scripted answer per poll: a list of notices or an exception. */
  static final class ScriptedProbe implements MetadataProbe {
    final Deque<Object> script = new ArrayDeque<>();
    int polls;

    ScriptedProbe then(Object answer) {
      script.add(answer);
      return this;
    }

    @Override
    public Cloud cloud() {
      return Cloud.Aws;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Notice> poll() throws IOException {
      polls++;
      Object next = script.isEmpty() ? List.of() : script.poll();
      if (next instanceof IOException e) {
        throw e;
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return (List<Notice>) next;
    }
  }

  /** Records marks; fails the first {@code failures} calls as an unreachable API server would. */
  static final class RecordingMarker implements NodeMarker {
    final List<Notice> marks = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public boolean mark(Notice notice) {
      if (failures.getAndDecrement() > 0) {
        throw new IllegalStateException("connection refused");
      }
      marks.add(notice);
      return true;
    }
  }

  @Test
  void aRepeatedNoticeIsMarkedOnce() throws Exception {
    var probe = new ScriptedProbe().then(List.of(INTERRUPTION)).then(List.of(INTERRUPTION)).then(List.of(INTERRUPTION));
    var marker = new RecordingMarker();
    var agent = new NoticeAgent(probe, marker, Duration.ofMillis(1));
    assertEquals(List.of(INTERRUPTION), agent.pollOnce());
    assertEquals(List.of(), agent.pollOnce());
    assertEquals(List.of(), agent.pollOnce());
    assertEquals(List.of(INTERRUPTION), marker.marks);
  }

  @Test
  void aRebalanceIsEscalatedByTheInterruptionButNeverTheOtherWayRound() throws Exception {
    var probe =
        new ScriptedProbe()
            .then(List.of(REBALANCE))
            .then(List.of(REBALANCE, INTERRUPTION))
            .then(List.of(REBALANCE));
    var marker = new RecordingMarker();
    var agent = new NoticeAgent(probe, marker, Duration.ofMillis(1));
    agent.pollOnce();
    agent.pollOnce();
    agent.pollOnce();
    assertEquals(List.of(REBALANCE, INTERRUPTION), marker.marks);
    assertEquals(INTERRUPTION, agent.strongest());
  }

  @Test
  void failuresOfTheServiceOrTheApiServerNeverStopTheAgent() throws Exception {
    var probe =
        new ScriptedProbe()
            .then(new ConnectException("metadata down"))
            .then(new IllegalStateException("bug in a parser"))
            .then(List.of(INTERRUPTION))
            .then(List.of(INTERRUPTION));
    var marker = new RecordingMarker();
    marker.failures.set(1);
    var agent = new NoticeAgent(probe, marker, Duration.ofMillis(1));
    assertEquals(List.of(), agent.pollOnce());
    assertEquals(List.of(), agent.pollOnce());
    assertEquals(List.of(), agent.pollOnce()); // API server refused the patch
    assertEquals(List.of(INTERRUPTION), agent.pollOnce()); // retried
    assertEquals(List.of(INTERRUPTION), marker.marks);
  }

  @Test
  void runStopsWhenAsked() throws Exception {
    var probe = new ScriptedProbe().then(List.of()).then(List.of(INTERRUPTION));
    var marker = new RecordingMarker();
    var agent = new NoticeAgent(probe, marker, Duration.ofMillis(5));
    agent.run(() -> probe.polls < 5);
    assertEquals(5, probe.polls);
    assertEquals(List.of(INTERRUPTION), marker.marks);
  }

  @Test
  void theRealLoopSurvivesASlowAndThenDownService() throws Exception {
    try (var server = new FakeMetadataServer()) {
      server.on(
          "/latest/meta-data/spot/termination-time",
          FakeMetadataServer.Reply.of(200, "2025-03-01 18:02:00").after(Duration.ofSeconds(2)));
      var marker = new RecordingMarker();
      var agent = new NoticeAgent(AgentFixtures.probe(Cloud.Tencent, server.uri()), marker, Duration.ofMillis(1));
      long start = System.nanoTime();
      assertEquals(List.of(), agent.pollOnce());
      server.close();
      assertEquals(List.of(), agent.pollOnce());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
      assertEquals(List.of(), marker.marks);
    }
  }
}
