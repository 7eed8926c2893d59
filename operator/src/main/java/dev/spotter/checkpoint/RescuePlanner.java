package dev.spotter.checkpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * The notice → checkpoint → move state machine of one training gang, as a pure function: given
 * the notice's deadline, what was asked and what the ranks answered, it says what to do next.
 * Every rank is asked at once; the gang moves as soon as all have committed, or resumes from the
 * last committed checkpoint when the deadline (minus a safety margin) comes first.
 */
public final class RescuePlanner {
  /** What to do next. */
  public enum Step {
    /** Ask every rank for a checkpoint now, bounded by {@link Plan#requestDeadline()}. */
    REQUEST,
    /** Requests are out; wait for answers until {@link Plan#requestDeadline()}. */
    WAIT,
    /** Every rank committed: record the new checkpoint and move the gang. */
    COMMITTED,
    /** Too late or a rank failed: move the gang and resume from the last committed checkpoint. */
    MISSED,
    /** The job has no checkpoint trigger that can be asked: move now. */
    MOVE
  }

  /** The decision and the moment it stops being valid. */
  public record Plan(Step step, Instant requestDeadline, String why) {}

  /**
   * @param noticeDeadline when the node goes away
   * @param safetyMargin time kept free before the deadline to stop the pods cleanly
   * @param askable whether the job's checkpoint trigger can be asked (Http or Exec)
   * @param timeout the job's checkpoint timeout
   * @param requestedAt when the requests went out, or null
   */
  public record Situation(
      Instant now, Instant noticeDeadline, Duration safetyMargin, boolean askable, Duration timeout,
      Instant requestedAt, int ranks, int committed, boolean anyRefused) {}

  private RescuePlanner() {}

  public static Plan next(Situation s) {
    Instant cutoff = s.noticeDeadline().minus(s.safetyMargin());
    if (!s.askable()) {
      return new Plan(Step.MOVE, s.now(), "no checkpoint trigger to ask: moving now, resuming from the last committed checkpoint");
    }
    if (s.requestedAt() == null) {
      if (!s.now().isBefore(cutoff)) {
        return new Plan(Step.MISSED, s.now(), "the notice leaves no time for a checkpoint (deadline " + s.noticeDeadline() + ")");
      }
      Instant byTimeout = s.now().plus(s.timeout());
      Instant deadline = byTimeout.isBefore(cutoff) ? byTimeout : cutoff;
      return new Plan(Step.REQUEST, deadline, "asking " + s.ranks() + " rank(s) to checkpoint before " + deadline);
    }
    Instant byTimeout = s.requestedAt().plus(s.timeout());
    Instant deadline = byTimeout.isBefore(cutoff) ? byTimeout : cutoff;
    if (s.committed() >= s.ranks()) {
      return new Plan(Step.COMMITTED, deadline, "all " + s.ranks() + " rank(s) committed their checkpoint");
    }
    if (s.anyRefused()) {
      return new Plan(Step.MISSED, deadline, (s.ranks() - s.committed()) + " rank(s) failed to checkpoint");
    }
    if (!s.now().isBefore(deadline)) {
      return new Plan(Step.MISSED, deadline,
          (s.ranks() - s.committed()) + " of " + s.ranks() + " rank(s) did not confirm by " + deadline);
    }
    return new Plan(Step.WAIT, deadline, s.committed() + " of " + s.ranks() + " rank(s) committed so far");
  }
}
