package dev.spotter.demo;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What runs inside the demo's pods. The {@link SimulatedKubelet} calls it when a pod's containers
 * start and when they stop; an implementation decides what the workload does in between (make
 * progress, write checkpoints, finish by setting the pod Succeeded through the kubelet).
 *
 * <p>Both calls come from the kubelet's threads and must return quickly. A runner sees every
 * Spotter pod (training ranks and inference replicas) and ignores those it does not run. It may
 * get {@code stopped} for a pod it never saw start, or twice for one pod: it must ignore that.
 */
public interface WorkloadRunner {
  /** The pod is bound to its node and its containers run (phase Running); its env is in the spec. */
  void started(Pod pod);

  /**
   * The pod's containers are gone.
   *
   * @param graceful true when the pod was deleted through the API, so its processes got SIGTERM and
   *     a grace period (a workload may save a final checkpoint then); false when it died with its node
   *     or finished on its own
   */
  void stopped(Pod pod, boolean graceful);
}
