package dev.spotter.preemption;

/** The two kinds of workload a notice can hit; they react differently. */
public enum JobKind {
  /** A run-to-completion gang (TrainingJob): it can checkpoint and resume. */
  Training,
  /** Long-running replicas (InferenceJob): they can be replaced one by one. */
  Inference
}
