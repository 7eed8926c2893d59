package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.NoticeWindows;
import dev.spotter.preemption.source.NoticeContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Short timeouts and a settable clock, so agent tests stay fast and deterministic. */
final class AgentFixtures {
  static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  static final String NODE = "gpu-node-1";
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);

  private AgentFixtures() {}

  static AgentConfig config(Cloud cloud, URI endpoint) {
    return AgentConfig.defaults(NODE)
        .withCloud(cloud)
        .withEndpoint(cloud, endpoint)
        .withTimeouts(Duration.ofMillis(20), Duration.ofMillis(300), REQUEST_TIMEOUT, Duration.ofSeconds(1));
  }

  static MetadataProbe probe(Cloud cloud, URI endpoint, Clock clock) {
    return MetadataProbes.forCloud(cloud, config(cloud, endpoint), new NoticeContext(clock, NoticeWindows.DEFAULTS));
  }

  static MetadataProbe probe(Cloud cloud, URI endpoint) {
    return probe(cloud, endpoint, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A clock tests can move. */
  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
