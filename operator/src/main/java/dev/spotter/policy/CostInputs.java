package dev.spotter.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the cost policy needs to know of a job that does not change while it runs: the work it
 * needs, what each start costs, when it arrived and when it must be done. The operator builds it
 * from a TrainingJob's spec, the simulator from a workload entry; both turn it into the
 * {@link JobSituation} of the moment with {@link #situation}, so both feed the policy the same way.
 *
 * @param expectedWork uninterrupted run time the whole job needs
 * @param restartOverhead run time lost on every start before work progresses
 * @param arrival when the job was submitted: the pace is measured from here
 * @param deadline when the work must be done
 * @param maxLoss work a preemption can throw away (zero when a final checkpoint fits the notice)
 */
public record CostInputs(Duration expectedWork, Duration restartOverhead, Instant arrival, Instant deadline, Duration maxLoss) {

  public CostInputs {
    Objects.requireNonNull(expectedWork, "expectedWork");
    Objects.requireNonNull(restartOverhead, "restartOverhead");
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(maxLoss, "maxLoss");
    if (expectedWork.isNegative() || expectedWork.isZero()) throw new IllegalArgumentException("expectedWork must be positive");
  }

  /** Share of the arrival-to-deadline window that was slack at arrival; progress is paced on it. */
  public double pacedSlackShare() {
    long window = Duration.between(arrival, deadline).toSeconds();
    if (window <= 0) return 0;
    return Math.max(0, (double) (window - expectedWork.toSeconds()) / window);
  }

  /** Work still to do after {@code done}; zero once the estimate is used up. */
  public Duration remaining(Duration done) {
    Duration left = expectedWork.minus(done);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * The job at {@code now}.
   *
   * @param done work done so far, including work since the last checkpoint while it still runs
   * @param overheadLeft of the current start still to pay
   * @param current where it runs
   */
  public JobSituation situation(Duration done, Duration overheadLeft, Placement current, Instant now) {
    Duration timeLeft = Duration.between(now, deadline);
    return new JobSituation(
        remaining(done),
        timeLeft.isNegative() ? Duration.ZERO : timeLeft,
        pacedSlackShare(),
        restartOverhead,
        overheadLeft.isNegative() ? Duration.ZERO : overheadLeft,
        maxLoss,
        current,
        1);
  }
}
