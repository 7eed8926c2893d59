package dev.spotter.checkpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a final checkpoint fits in a preemption notice, decided by running the operator's own
 * {@link RescuePlanner} over one notice: the request goes out when the notice is seen, the rank
 * answers after {@code checkpointTakes}, and the planner says whether that answer still counts.
 * The operator uses it to tell the cost policy how much work a preemption can lose; the simulator
 * uses it to decide whether a preemption loses progress.
 */
public final class NoticeFit {
  private NoticeFit() {}

  /**
   * @param window the notice's warning time
   * @param safetyMargin time kept free before the notice deadline
   * @param timeout the job's checkpoint timeout
   * @param checkpointTakes how long the rank needs to commit a checkpoint
   */
  public static boolean saves(Duration window, Duration safetyMargin, Duration timeout, Duration checkpointTakes) {
    Instant seen = Instant.EPOCH;
    Instant deadline = seen.plus(window);
    RescuePlanner.Plan ask = RescuePlanner.next(
        new RescuePlanner.Situation(seen, deadline, safetyMargin, true, timeout, null, 1, 0, false));
    if (ask.step() != RescuePlanner.Step.REQUEST) return false;
    Instant answered = seen.plus(checkpointTakes);
    boolean inTime = !answered.isAfter(ask.requestDeadline());
    RescuePlanner.Plan after = RescuePlanner.next(new RescuePlanner.Situation(
        inTime ? answered : ask.requestDeadline(), deadline, safetyMargin, true, timeout, seen, 1, inTime ? 1 : 0, false));
    return after.step() == RescuePlanner.Step.COMMITTED;
  }
}
