package dev.spotter.demo;

import dev.spotter.api.Api;
import io.fabric8.kubernetes.api.model.Node;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kube-scheduler and kubelet for an API server that has neither: binds each Spotter pod to
 * the node its hostname affinity names, once that node exists and is Ready, and reports it
 * Running. When a node is deleted, the pods running there fail as on a node shutdown (reason
 * Terminated), and pods still waiting for it are reported Unschedulable, as the scheduler would.
 * Deleted pods simply vanish (no grace period). What runs inside a pod is up to the
 * {@link WorkloadRunner}s registered with {@link #withRunner}.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  /** How often pending pods are looked at again, as the scheduler retries unschedulable pods. */
  private static final long RETRY_MILLIS = 1000;

  private final KubernetesClient client;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final List<WorkloadRunner> runners = new CopyOnWriteArrayList<>();
  /** Pods whose containers run, by namespace/name: the ones runners were told about. */
  private final Map<String, Pod> running = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;
  private SharedIndexInformer<Node> nodes;

  public SimulatedKubelet(KubernetesClient client) {
    this.client = client;
  }

  /** Adds a workload runner; call before {@link #start()}. */
  public SimulatedKubelet withRunner(WorkloadRunner runner) {
    runners.add(runner);
    return this;
  }

  public SimulatedKubelet start() {
    nodes = client.nodes().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) {}

      @Override
      public void onUpdate(Node oldNode, Node n) {}

      @Override
      public void onDelete(Node n, boolean unknown) {
        worker.submit(() -> nodeGone(n.getMetadata().getName()));
      }
    });
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
      public void onDelete(Pod pod, boolean unknown) {
        worker.submit(() -> {
          Pod was = running.remove(key(pod));
          if (was != null) {
            runners.forEach(r -> r.stopped(was, true));
          }
        });
      }
    });
    worker.scheduleWithFixedDelay(this::retryPending, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Binds a pending pod to its planned node and starts it. */
  private void bind(Pod pod) {
    if (pod.getSpec().getNodeName() != null || pod.getMetadata().getDeletionTimestamp() != null || isTerminal(pod)) {
      return;
    }
    String node = plannedNode(pod);
    Node n = node == null ? null : client.nodes().withName(node).get();
    if (n == null || n.getStatus() == null || n.getStatus().getConditions().stream()
        .noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
      return;
    }
    try {
      // the informer's copy may lag: bind only what the API server still has unbound
      Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
      if (current == null || current.getSpec().getNodeName() != null || isTerminal(current)) {
        return;
      }
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).edit(p -> {
        p.getSpec().setNodeName(node);
        return p;
      });
      setPhase(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "Running", null, 0);
    } catch (KubernetesClientException e) {
      log.debug("could not bind {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /** The node went away: what ran there dies with it, what waited for it cannot be scheduled. */
  private void nodeGone(String node) {
    for (Pod p : informer.getStore().list()) {
      if (isTerminal(p)) {
        continue;
      }
      if (node.equals(p.getSpec().getNodeName())) {
        try {
          setPhase(p.getMetadata().getNamespace(), p.getMetadata().getName(), "Failed", "Terminated", 143);
        } catch (KubernetesClientException e) {
          log.debug("could not fail {}: {}", p.getMetadata().getName(), e.getMessage());
        }
      } else if (p.getSpec().getNodeName() == null && node.equals(plannedNode(p))) {
        markUnschedulable(p, node);
      }
    }
  }

  /** Binds pods whose node showed up late, and reports again those whose node is gone. */
  private void retryPending() {
    try {
      for (Pod p : informer.getStore().list()) {
        if (p.getSpec().getNodeName() != null || isTerminal(p) || p.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        String node = plannedNode(p);
        if (node != null && nodes.getStore().getByKey(node) == null) {
          markUnschedulable(p, node);
        } else {
          bind(p);
        }
      }
    } catch (RuntimeException e) {
      log.debug("pending sweep failed: {}", e.toString());
    }
  }

  private void markUnschedulable(Pod pod, String node) {
    try {
      Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
      if (current == null || current.getSpec().getNodeName() != null) {
        return;
      }
      String now = Instant.now().toString();
      PodStatus st = current.getStatus() == null ? new PodStatus() : current.getStatus();
      st.setPhase("Pending");
      st.getConditions().removeIf(c -> "PodScheduled".equals(c.getType()));
      st.getConditions().add(new PodCondition(now, now, "node " + node + " does not exist", null, "Unschedulable", "False", "PodScheduled"));
      current.setStatus(st);
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
    } catch (KubernetesClientException e) {
      log.debug("could not mark {} unschedulable: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Moves a pod to a phase as a kubelet would report it, and tells the runners when its
   * containers start or stop.
   *
   * @param reason pod status reason (for example Terminated or Evicted), or null
   * @param exitCode the container's exit code for Succeeded or Failed
   */
  public void setPhase(String namespace, String name, String phase, String reason, int exitCode) {
    for (int tries = 1; ; tries++) {
      try {
        writePhase(namespace, name, phase, reason, exitCode);
        return;
      } catch (KubernetesClientException e) {
        // the pod changed between the read and the write (a label, a deletion mark): read it again
        if (e.getCode() != 409 || tries == 5) {
          throw e;
        }
      }
    }
  }

  private void writePhase(String namespace, String name, String phase, String reason, int exitCode) {
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
    Pod updated = client.pods().inNamespace(namespace).resource(current).updateStatus();
    if ("Running".equals(phase)) {
      if (running.putIfAbsent(key(updated), updated) == null) {
        runners.forEach(r -> r.started(updated));
      }
    } else if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      Pod was = running.remove(key(updated));
      if (was != null) {
        runners.forEach(r -> r.stopped(updated, false));
      }
    }
  }

  /** Running pods on a node, for tests and the demo. */
  public List<Pod> podsOn(String node) {
    return informer.getStore().list().stream().filter(p -> node.equals(p.getSpec().getNodeName())).toList();
  }

  private static String plannedNode(Pod pod) {
    return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(Api.ANNOTATION_NODE);
  }

  private static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    worker.shutdownNow();
  }
}
