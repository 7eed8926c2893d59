package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/** The small side effects on pods, services and checkpoint claims that the reconcilers share. */
final class PodOps {
  private PodOps() {}

  /** A job whose checkpoint claim does not exist waits with a reason instead of starting pods that cannot mount it. */
  static String missingCheckpointVolume(TrainingJob job, KubernetesClient client) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    if (cp == null || cp.getStorage() == null || cp.getStorage().getPersistentVolumeClaim() == null) {
      return null;
    }
    String claim = cp.getStorage().getPersistentVolumeClaim();
    var pvc = client.persistentVolumeClaims().inNamespace(job.getMetadata().getNamespace()).withName(claim).get();
    return pvc != null ? null : "PersistentVolumeClaim " + claim + " (spec.checkpoint.storage.persistentVolumeClaim) does not exist in namespace "
        + job.getMetadata().getNamespace() + "; create it or fix the name";
  }

  /**
   * Checkpoints outlive their job unless deleteWithJob is set: then the claim gets the job as an
   * owner, so the garbage collector removes it with the job.
   */
  static void ownCheckpointVolumeIfAsked(TrainingJob job, KubernetesClient client) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    if (cp == null || cp.getStorage() == null || cp.getStorage().getPersistentVolumeClaim() == null
        || !Boolean.TRUE.equals(cp.getDeleteWithJob())) {
      return;
    }
    var owner = PodFactory.owner(job);
    owner.setController(false);
    client.persistentVolumeClaims().inNamespace(job.getMetadata().getNamespace()).withName(cp.getStorage().getPersistentVolumeClaim())
        .edit(pvc -> {
          if (pvc.getMetadata().getOwnerReferences().stream().noneMatch(o -> job.getMetadata().getUid().equals(o.getUid()))) {
            pvc.getMetadata().getOwnerReferences().add(owner);
          }
          return pvc;
        });
  }

  static String describe(Pod p) {
    var s = p.getStatus();
    if (s == null) {
      return "no status";
    }
    String exit = "";
    if (s.getContainerStatuses() != null) {
      for (var cs : s.getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          exit = " exit code " + cs.getState().getTerminated().getExitCode();
        }
      }
    }
    return (s.getReason() == null ? s.getPhase() : s.getReason()) + exit + (s.getMessage() == null ? "" : " (" + s.getMessage() + ")");
  }

  /**
   * Creates an object Spotter names deterministically; one that already exists is left as it is.
   * A 409 counts as "exists" only when the object can be read back: a conflict may also come from
   * the server refusing the create for another reason, and taking that for success would leave
   * the rank without a pod and nothing to wake its job.
   */
  static void createIfAbsent(KubernetesClient client, HasMetadata obj) {
    try {
      client.resource(obj).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 || client.resource(obj).get() == null) {
        throw e;
      }
    }
  }

  /** The node a pod runs on, or was planned on. */
  static String nodeOf(Pod p) {
    if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
      return p.getSpec().getNodeName();
    }
    return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(Api.ANNOTATION_NODE);
  }

  static void deleteLive(KubernetesClient client, List<Pod> pods) {
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() == null && PodOutcome.live(p)) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
      }
    }
  }
}
