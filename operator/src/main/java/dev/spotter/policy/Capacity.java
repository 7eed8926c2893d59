package dev.spotter.policy;

/** Where a job runs: nowhere, on on-demand capacity, or on spot capacity of a pool. */
public enum Capacity {
  IDLE,
  ON_DEMAND,
  SPOT
}
