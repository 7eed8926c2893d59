package dev.spotter.policy;

/**
 * Which moves keep a job able to meet its deadline in the worst case, counted in decision
 * steps: on-demand is always there, spot may vanish at the start of any later step.
 *
 * @param remaining steps left before the deadline, this one included
 * @param work steps of work still to do
 * @param overheadLeft restart steps still to pay on the current instance
 * @param restart steps a (re)start costs before work progresses
 * @param maxLoss work steps a preemption can throw away (0 with a final checkpoint in the notice)
 */
public record DeadlineGuard(long remaining, long work, long overheadLeft, long restart, long maxLoss) {

  /** Spare steps if the job ran from now to the end without a break (overhead left excluded). */
  public long slack() {
    return remaining - work;
  }

  /** A fresh on-demand start still finishes in time. */
  public boolean canStartOnDemand() {
    return slack() >= restart;
  }

  /** Staying on the current on-demand instance still finishes in time. */
  public boolean canContinueOnDemand() {
    return slack() >= overheadLeft;
  }

  /** Idling this step leaves time for an on-demand start at the next one. */
  public boolean canIdle() {
    return slack() - 1 >= restart;
  }

  /**
   * Starting spot now is safe: even if it is lost right after its restart, with the worst loss,
   * an on-demand start still finishes in time.
   */
  public boolean canStartSpot() {
    return slack() - restart >= restart + maxLoss;
  }

  /** Staying on the current spot instance keeps the same guarantee. */
  public boolean canContinueSpot() {
    return slack() - overheadLeft >= restart + maxLoss;
  }

  /** The deadline can no longer be met whatever is done. */
  public boolean lost() {
    return slack() < Math.min(restart, overheadLeft);
  }
}
