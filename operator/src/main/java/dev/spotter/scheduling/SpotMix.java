package dev.spotter.scheduling;

/**
 * The fleet-wide spot target: each new allocation goes to whichever capacity type leaves the
 * fleet's spot share of GPUs closest to the target (ties go to spot, the cheaper one).
 */
public record SpotMix(double target) {
  public SpotMix {
    if (target < 0 || target > 1) {
      throw new IllegalArgumentException("spot target must be within [0, 1], got " + target);
    }
  }

  /** Whether adding {@code gpus} on spot keeps the fleet at least as close to the target. */
  public boolean prefersSpot(long spotGpus, long onDemandGpus, int gpus) {
    double total = spotGpus + onDemandGpus + gpus;
    double ifSpot = (spotGpus + gpus) / total;
    double ifOnDemand = spotGpus / total;
    return Math.abs(ifSpot - target) <= Math.abs(ifOnDemand - target) + 1e-12;
  }

  /** The spot share of a fleet, 0 when it is empty. */
  public static double share(long spotGpus, long onDemandGpus) {
    long total = spotGpus + onDemandGpus;
    return total == 0 ? 0 : (double) spotGpus / total;
  }
}
