package dev.spotter.operator;

import dev.spotter.api.Api;
import dev.spotter.fleet.Fleet;
import dev.spotter.reconcile.JobController;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees what deleted jobs held, forgets those that waited, and removes their pods. Spotter puts no finalizer on jobs (a
 * finalizer that sticks blocks deletion); owner references let the garbage collector remove pods
 * on a real cluster, and this sweep covers the ledger and clusters without a collector.
 */
final class Reaper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final Fleet fleet;
  private final KubernetesClient client;
  private final Map<String, JobController> controllers;

  Reaper(Fleet fleet, KubernetesClient client, List<JobController> controllers) {
    this.fleet = fleet;
    this.client = client;
    this.controllers = controllers.stream().collect(Collectors.toMap(JobController::kind, c -> c));
  }

  @Override
  public void run() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("reaper sweep failed, will retry: {}", e.toString());
    }
  }

  void sweep() {
    for (String key : fleet.heldKeys()) {
      String[] p = key.split("/", 3);
      if (p.length < 3) {
        continue;
      }
      JobController c = controllers.get(p[0]);
      String name = p[2].contains("#") ? p[2].substring(0, p[2].indexOf('#')) : p[2];
      if (c != null && c.started() && !c.exists(p[1], name)) {
        log.info("job {}/{} is gone: freeing {}", p[1], name, key);
        fleet.release(key);
      }
    }
    for (String key : fleet.waitingKeys()) {
      // a job deleted while it waited holds nothing, but would be woken on every capacity change forever
      String[] p = key.split("/", 3);
      JobController c = p.length < 3 ? null : controllers.get(p[0]);
      if (c != null && c.started() && !c.exists(p[1], p[2])) {
        fleet.forget(key);
      }
    }
    for (JobController c : controllers.values()) {
      if (!c.started()) {
        continue;
      }
      for (Pod pod : c.pods().toList()) {
        String job = pod.getMetadata().getLabels().get(Api.LABEL_JOB);
        if (job != null && pod.getMetadata().getDeletionTimestamp() == null && !c.exists(pod.getMetadata().getNamespace(), job)) {
          try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            log.info("deleted pod {}/{} of deleted {} {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), c.kind(), job);
          } catch (KubernetesClientException e) {
            log.debug("could not delete orphan pod {}: {}", pod.getMetadata().getName(), e.getMessage());
          }
        }
      }
    }
  }
}
