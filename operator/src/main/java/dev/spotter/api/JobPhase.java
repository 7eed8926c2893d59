package dev.spotter.api;

/** Lifecycle of a TrainingJob. */
public enum JobPhase {
  /** Waiting for capacity (see the Admitted condition for why). */
  Pending,
  /** Admitted: the gang's pods are created and starting or running. */
  Running,
  /** A preemption notice arrived; the gang is asked to checkpoint. */
  Checkpointing,
  /** The gang is being moved: old pods removed, new placement pending. */
  Restarting,
  /** All workers succeeded. */
  Succeeded,
  /** The job failed for good (restart budget used up or invalid spec). */
  Failed;

  public boolean isFinal() {
    return this == Succeeded || this == Failed;
  }
}
