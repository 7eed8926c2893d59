package dev.spotter.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * One job as the policy needs to know it at a decision.
 *
 * @param remainingWork uninterrupted run time still needed
 * @param timeLeft until the deadline ({@code null} = no deadline)
 * @param pacedSlackShare the share of the job's time to the deadline that was slack at its
 *     arrival: (deadline - arrival - work) / (deadline - arrival); progress is paced on it
 * @param restartOverhead paid on every start of an instance before work progresses
 * @param overheadLeft of the current start still to pay
 * @param maxLoss work a preemption can throw away: zero when a final checkpoint fits in the
 *     notice, else up to one periodic checkpoint interval
 * @param current where it runs now (after any preemption already noticed)
 * @param machinesNeeded spot machines the gang needs at once in a pool
 */
public record JobSituation(
    Duration remainingWork,
    Duration timeLeft,
    double pacedSlackShare,
    Duration restartOverhead,
    Duration overheadLeft,
    Duration maxLoss,
    Placement current,
    int machinesNeeded) {

  public JobSituation {
    Objects.requireNonNull(remainingWork, "remainingWork");
    Objects.requireNonNull(restartOverhead, "restartOverhead");
    Objects.requireNonNull(overheadLeft, "overheadLeft");
    Objects.requireNonNull(maxLoss, "maxLoss");
    Objects.requireNonNull(current, "current");
  }
}
