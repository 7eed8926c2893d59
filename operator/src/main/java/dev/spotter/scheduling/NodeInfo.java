package dev.spotter.scheduling;

/**
 * A GPU node as placement sees it.
 *
 * @param usedGpus GPUs held by pods (Spotter's and others') or reserved by admitted jobs
 * @param usable ready, schedulable and not under a preemption notice
 */
public record NodeInfo(String name, String pool, int allocatableGpus, int usedGpus, boolean usable) {
  public int freeGpus() {
    return usable ? Math.max(0, allocatableGpus - usedGpus) : 0;
  }
}
