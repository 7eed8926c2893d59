package dev.spotter.checkpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Repeated preemptions: after {@code limit} of them within {@code window}, a job goes to
 * on-demand for {@code cooldown}. Pure; the times live in the job's status.
 */
public record PreemptionHistory(int limit, Duration window, Duration cooldown) {

  /** The preemption times still inside the window, with {@code now} added. */
  public List<Instant> record(List<Instant> previous, Instant now) {
    List<Instant> kept = new ArrayList<>();
    for (Instant t : previous) {
      if (t.isAfter(now.minus(window))) {
        kept.add(t);
      }
    }
    kept.add(now);
    return kept;
  }

  /** When the on-demand cool-down ends, or null when the job may use spot. */
  public Instant onDemandUntil(List<Instant> recent, Instant now) {
    if (limit <= 0 || recent.size() < limit) {
      return null;
    }
    return now.plus(cooldown);
  }
}
