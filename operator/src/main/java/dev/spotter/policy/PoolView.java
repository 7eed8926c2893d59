package dev.spotter.policy;

/**
 * A spot pool at the moment of a decision: how many machines it can give now, its spot price
 * and the availability it has shown so far.
 */
public record PoolView(String name, int freeMachines, double spotPricePerGpuHour, AvailabilityHistory history) {
  /** Free machines of a pool whose capacity is not counted (available or not). */
  public static final int UNCOUNTED = Integer.MAX_VALUE;

  public boolean fits(int machines) {
    return freeMachines >= machines;
  }
}
