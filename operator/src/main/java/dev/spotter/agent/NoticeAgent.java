package dev.spotter.agent;

import dev.spotter.preemption.Notice;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's loop: poll the metadata service, mark the node on a new notice, sleep, repeat.
 * Nothing the metadata service or the API server does stops it: failures are logged (once when
 * they start, then every {@value #REPEAT_WARNING_EVERY} polls, and once when they end) and the
 * next poll tries again. A notice is marked once: later polls that repeat it, or announce something
 * less urgent, change nothing.
 */
public final class NoticeAgent {
  static final int REPEAT_WARNING_EVERY = 60;
  private static final Logger LOG = LoggerFactory.getLogger(NoticeAgent.class);

  private final MetadataProbe probe;
  private final NodeMarker marker;
  private final Duration interval;
  private Notice strongest;
  private int probeFailures;

  public NoticeAgent(MetadataProbe probe, NodeMarker marker, Duration interval) {
    this.probe = probe;
    this.marker = marker;
    this.interval = interval;
  }

  /**
   * One poll; returns the notices new to this agent run (marked now, or found already marked by an
   * earlier run); empty when nothing new.
   */
  public List<Notice> pollOnce() throws InterruptedException {
    List<Notice> seen;
    try {
      seen = probe.poll();
      if (probeFailures > 0) {
        LOG.info("{} metadata service answers again after {} failed polls", probe.cloud().tag(), probeFailures);
      }
      probeFailures = 0;
    } catch (IOException | RuntimeException e) {
      probeFailures++;
      if (probeFailures == 1 || probeFailures % REPEAT_WARNING_EVERY == 0) {
        LOG.warn("{} metadata poll failed ({} in a row): {}", probe.cloud().tag(), probeFailures, e.toString());
      } else {
        LOG.debug("{} metadata poll failed: {}", probe.cloud().tag(), e.toString());
      }
      return List.of();
    }
    List<Notice> marked = new ArrayList<>();
    for (Notice n : seen) {
      if (strongest != null && n.kind().urgency() <= strongest.kind().urgency()) {
        continue;
      }
      LOG.warn("notice for node {}: {} from {} deadline {} ({})", n.node(), n.kind(), n.source().tag(), n.deadline(), n.detail());
      try {
        marker.mark(n);
        strongest = n;
        marked.add(n);
      } catch (RuntimeException e) {
        LOG.warn("could not mark node {} (will retry): {}", n.node(), e.toString());
      }
    }
    return marked;
  }

  /** Polls until {@code keepRunning} turns false or the thread is interrupted. */
  public void run(BooleanSupplier keepRunning) throws InterruptedException {
    LOG.info("polling the {} metadata service every {}", probe.cloud().tag(), interval);
    while (keepRunning.getAsBoolean()) {
      pollOnce();
      if (keepRunning.getAsBoolean()) {
        Thread.sleep(interval.toMillis());
      }
    }
  }

  /** The most urgent notice marked so far, if any. */
  public Notice strongest() {
    return strongest;
  }
}
