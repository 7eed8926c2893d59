package dev.spotter.api;

/** How Spotter asks a worker for a checkpoint. */
public enum CheckpointTrigger {
  /** POST to a port and path on every worker. */
  Http,
  /** Run a command in every worker container. */
  Exec,
  /** SIGTERM by pod deletion, with a grace period that ends before the notice deadline. */
  Signal
}
