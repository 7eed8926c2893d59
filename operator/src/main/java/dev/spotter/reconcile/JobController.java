package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.stream.Stream;

/** What the reaper needs of a job reconciler: which jobs exist and which pods it made. */
public interface JobController {
  String kind();

  /** Whether the caches are up, so "not found" means deleted. */
  boolean started();

  boolean exists(String namespace, String name);

  Stream<Pod> pods();

  /** What the metrics need of one job. */
  record JobPhaseView(String namespace, String phase, String waitingReason) {}

  /** Phase (and the reason when it waits) of every job in the cache. */
  Stream<JobPhaseView> phases();
}
