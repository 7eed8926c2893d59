package dev.spotter.api;

/** A job's choice between spot and on-demand capacity. */
public enum CapacityPolicy {
  /** Spot when the fleet mix allows it and spot is there; on-demand after the spot wait. */
  SpotPreferred,
  /** Spot only: the job waits for spot rather than pay for on-demand. */
  SpotOnly,
  /** On-demand only: the job never runs on spot. */
  OnDemandOnly
}
