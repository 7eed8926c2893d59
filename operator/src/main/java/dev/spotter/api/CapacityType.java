package dev.spotter.api;

/** Whether GPUs are bought as interruptible spot capacity or as on-demand capacity. */
public enum CapacityType {
  Spot,
  OnDemand
}
