package dev.spotter.demo;

import dev.spotter.api.Api;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kube-scheduler and kubelet for an API server that has neither: binds each Spotter pod to
 * the node its hostname affinity names, once that node exists and is Ready, and reports it
 * Running. Deleted pods simply vanish (no grace period). Workload progress is someone else's job.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);

  private final KubernetesClient client;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "simulated-kubelet");
    t.setDaemon(true);
    return t;
  });
  private SharedIndexInformer<Pod> informer;

  public SimulatedKubelet(KubernetesClient client) {
    this.client = client;
  }

  public SimulatedKubelet start() {
    informer = client.pods().inAnyNamespace().withLabel(Api.LABEL_MANAGED_BY, Api.MANAGED_BY).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        worker.submit(() -> bind(pod));
      }

      @Override
      public void onUpdate(Pod oldPod, Pod pod) {
        worker.submit(() -> bind(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}
    });
    return this;
  }

  /** Binds a pending pod to its planned node and starts it. */
  private void bind(Pod pod) {
    if (pod.getSpec().getNodeName() != null || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String node = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(Api.ANNOTATION_NODE);
    var n = node == null ? null : client.nodes().withName(node).get();
    if (n == null || n.getStatus() == null || n.getStatus().getConditions().stream()
        .noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
      return;
    }
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).edit(p -> {
        p.getSpec().setNodeName(node);
        return p;
      });
      setPhase(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "Running", null, 0);
    } catch (KubernetesClientException e) {
      log.debug("could not bind {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Moves a pod to a phase as a kubelet would report it.
   *
   * @param reason pod status reason (for example Terminated or Evicted), or null
   * @param exitCode the container's exit code for Succeeded or Failed
   */
  public void setPhase(String namespace, String name, String phase, String reason, int exitCode) {
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null) {
      return;
    }
    String now = Instant.now().toString();
    PodStatusBuilder b = new PodStatusBuilder().withPhase(phase).withReason(reason).withStartTime(now);
    if ("Running".equals(phase)) {
      b.addNewContainerStatus().withName(current.getSpec().getContainers().get(0).getName()).withReady(true)
          .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().endContainerStatus();
      b.addToConditions(new PodCondition(null, now, null, null, null, "True", "Ready"));
    } else if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      b.addNewContainerStatus().withName(current.getSpec().getContainers().get(0).getName()).withReady(false)
          .withNewState().withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
          .withFinishedAt(now).endTerminated().endState().endContainerStatus();
    }
    PodStatus status = b.build();
    current.setStatus(status);
    client.pods().inNamespace(namespace).resource(current).updateStatus();
  }

  /** Running pods on a node, for tests and the demo. */
  public List<Pod> podsOn(String node) {
    return informer.getStore().list().stream().filter(p -> node.equals(p.getSpec().getNodeName())).toList();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    worker.shutdownNow();
  }
}
