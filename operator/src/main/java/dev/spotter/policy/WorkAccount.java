package dev.spotter.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts a job's work the way the cost policy needs it, from what the operator observes: work
 * starts to count once every worker runs and the restart overhead is paid, and becomes committed
 * at each checkpoint. Work since the last checkpoint is lost with the attempt (a notice
 * checkpoint commits it first). Pure: the operator keeps the two numbers in the job's status.
 *
 * @param committedSeconds run time committed by checkpoints
 * @param countingSince when uncommitted work started to count in the running attempt, or null
 *     while the job does not run
 */
public record WorkAccount(long committedSeconds, Instant countingSince) {

  public static final WorkAccount NONE = new WorkAccount(0, null);

  /** Every worker of a new attempt runs at {@code at}: work counts once the overhead is paid. */
  public WorkAccount started(Instant at, Duration restartOverhead) {
    if (countingSince != null) return this;
    return new WorkAccount(committedSeconds, at.plus(restartOverhead));
  }

  /**
   * A checkpoint taken at {@code at} was committed: the work since counting began is kept. A
   * checkpoint from before that (for example the one the attempt resumed from) adds nothing.
   */
  public WorkAccount checkpointed(Instant at) {
    if (countingSince == null || !at.isAfter(countingSince)) return this;
    return new WorkAccount(committedSeconds + Duration.between(countingSince, at).toSeconds(), at);
  }

  /** The attempt ended (preempted, moved, failed): uncommitted work is lost. */
  public WorkAccount stopped() {
    return countingSince == null ? this : new WorkAccount(committedSeconds, null);
  }

  /** Work done at {@code now}: committed, plus what the running attempt did since. */
  public Duration done(Instant now) {
    long running = countingSince == null || !now.isAfter(countingSince) ? 0 : Duration.between(countingSince, now).toSeconds();
    return Duration.ofSeconds(committedSeconds + running);
  }

  /** Restart overhead of the running attempt still to pay at {@code now}. */
  public Duration overheadLeft(Instant now) {
    return countingSince == null || !countingSince.isAfter(now) ? Duration.ZERO : Duration.between(now, countingSince);
  }
}
