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
 * Deleted pods simply vanish (no grace period). Like the real ones, scheduler and kubelet retry:
 * a bind or a status report the API server refuses is tried again on the next sync. What runs
 * inside a pod is up to the {@link WorkloadRunner}s registered with {@link #withRunner}.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  /** How often scheduler and kubelet sync: pending pods, unreported statuses, pods on vanished nodes. */
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
  /** Status reports the API server has not accepted yet, by namespace/name. */
  private final Map<String, Report> unreported = new ConcurrentHashMap<>();
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
          unreported.remove(key(pod));
          Pod was = running.remove(key(pod));
          if (was != null) {
            runners.forEach(r -> r.stopped(was, true));
          }
        });
      }
    });
    worker.scheduleWithFixedDelay(this::sync, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The scheduler's part: binds a pending pod to its planned node once that node exists and is
   * Ready; then the kubelet's part: starts what is bound and not yet reported Running.
   */
  private void bind(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || isTerminal(pod) || unreported.containsKey(key(pod))) {
      return;
    }
    if (pod.getSpec().getNodeName() != null) {
      start(pod);
      return;
    }
    String node = plannedNode(pod);
    if (!ready(node)) {
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
    } catch (KubernetesClientException e) {
      log.debug("could not bind {}: {}", pod.getMetadata().getName(), e.getMessage());
      return; // the next sweep binds it, as the scheduler retries
    }
    setPhase(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "Running", null, 0);
  }

  /**
   * A pod bound to a live node whose Running status never reached the API server (a failed
   * update): the kubelet keeps reporting it until it does.
   */
  private void start(Pod pod) {
    if ("Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()) || !ready(pod.getSpec().getNodeName())) {
      return;
    }
    setPhase(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "Running", null, 0);
  }

  private boolean ready(String node) {
    Node n;
    try {
      n = node == null ? null : client.nodes().withName(node).get();
    } catch (KubernetesClientException e) {
      return false;
    }
    return n != null && n.getStatus() != null && n.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The node went away: what ran there dies with it, what waited for it cannot be scheduled. */
  private void nodeGone(String node) {
    for (Pod p : informer.getStore().list()) {
      if (isTerminal(p)) {
        continue;
      }
      if (node.equals(p.getSpec().getNodeName())) {
        setPhase(p.getMetadata().getNamespace(), p.getMetadata().getName(), "Failed", "Terminated", 143);
      } else if (p.getSpec().getNodeName() == null && node.equals(plannedNode(p))) {
        markUnschedulable(p, node);
      }
    }
  }

  /**
   * The periodic sync of scheduler and kubelet: reports again what the API refused, binds pods
   * whose node showed up late, starts bound pods not reported Running, fails pods whose node is
   * gone, and reports again pods still waiting for a node that does not exist.
   */
  private void sync() {
    for (Report r : unreported.values()) {
      try {
        report(r);
      } catch (RuntimeException e) {
        log.warn("report of {} {} failed: {}", r.name(), r.phase(), e.toString());
      }
    }
    for (Pod p : informer.getStore().list()) {
      if (isTerminal(p) || p.getMetadata().getDeletionTimestamp() != null || unreported.containsKey(key(p))) {
        continue;
      }
      try {
        String bound = p.getSpec().getNodeName();
        String node = bound != null ? bound : plannedNode(p);
        boolean gone = node != null && nodes.getStore().getByKey(node) == null && client.nodes().withName(node).get() == null;
        if (bound != null && gone) {
          setPhase(p.getMetadata().getNamespace(), p.getMetadata().getName(), "Failed", "Terminated", 143);
        } else if (bound == null && gone) {
          markUnschedulable(p, node);
        } else {
          bind(p);
        }
      } catch (RuntimeException e) {
        log.debug("sync of {} failed: {}", p.getMetadata().getName(), e.toString());
      }
    }
  }

  private void markUnschedulable(Pod pod, String node) {
    try {
      Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
      String message = "node " + node + " does not exist";
      if (current == null || current.getSpec().getNodeName() != null || current.getStatus() != null && current.getStatus()
          .getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType()) && message.equals(c.getMessage()))) {
        return;
      }
      String now = Instant.now().toString();
      PodStatus st = current.getStatus() == null ? new PodStatus() : current.getStatus();
      st.setPhase("Pending");
      st.getConditions().removeIf(c -> "PodScheduled".equals(c.getType()));
      st.getConditions().add(new PodCondition(now, now, message, null, "Unschedulable", "False", "PodScheduled"));
      current.setStatus(st);
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
    } catch (KubernetesClientException e) {
      log.debug("could not mark {} unschedulable: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Moves a pod to a phase as a kubelet would report it, and tells the runners when its
   * containers start or stop. When the API server refuses the update (a conflict, a server
   * error, a timeout), the report is kept and sent again on every sync until it is accepted or
   * the pod is gone, as a kubelet's status manager does; a later report replaces it.
   *
   * @param reason pod status reason (for example Terminated or Evicted), or null
   * @param exitCode the container's exit code for Succeeded or Failed
   */
  public void setPhase(String namespace, String name, String phase, String reason, int exitCode) {
    Report r = new Report(namespace, name, phase, reason, exitCode);
    // an end not yet reported is never replaced by a start (a late event may ask to start the pod again)
    Report pending = unreported.compute(namespace + "/" + name, (k, old) -> old != null && old.ends() && !r.ends() ? old : r);
    report(pending);
  }

  private void report(Report r) {
    String key = r.namespace() + "/" + r.name();
    Pod after;
    try {
      Pod current = client.pods().inNamespace(r.namespace()).withName(r.name()).get();
      if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
        unreported.remove(key, r);
        return;
      }
      after = current;
      // a pod that already ended stays ended; one already in the phase (an update whose answer was lost) is done
      if (!isTerminal(current) && !r.phase().equals(current.getStatus() == null ? null : current.getStatus().getPhase())) {
        current.setStatus(status(current, r));
        after = client.pods().inNamespace(r.namespace()).resource(current).updateStatus();
      }
    } catch (KubernetesClientException e) {
      log.debug("could not report {} {}: {}", r.name(), r.phase(), e.getMessage());
      return;
    }
    unreported.remove(key, r);
    String phase = after.getStatus() == null ? null : after.getStatus().getPhase();
    if ("Running".equals(phase)) {
      started(after);
    } else if (isTerminal(after)) {
      Pod was = running.remove(key);
      if (was != null) {
        Pod ended = after;
        runners.forEach(w -> w.stopped(ended, false));
      }
    }
  }

  private void started(Pod pod) {
    if (running.putIfAbsent(key(pod), pod) == null) {
      runners.forEach(w -> w.started(pod));
    }
  }

  private static PodStatus status(Pod pod, Report r) {
    String now = Instant.now().toString();
    PodStatusBuilder b = new PodStatusBuilder().withPhase(r.phase()).withReason(r.reason()).withStartTime(now);
    if ("Running".equals(r.phase())) {
      b.addNewContainerStatus().withName(pod.getSpec().getContainers().get(0).getName()).withReady(true)
          .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().endContainerStatus();
      b.addToConditions(new PodCondition(null, now, null, null, null, "True", "Ready"));
    } else if ("Succeeded".equals(r.phase()) || "Failed".equals(r.phase())) {
      b.addNewContainerStatus().withName(pod.getSpec().getContainers().get(0).getName()).withReady(false)
          .withNewState().withNewTerminated().withExitCode(r.exitCode()).withReason(r.exitCode() == 0 ? "Completed" : "Error")
          .withFinishedAt(now).endTerminated().endState().endContainerStatus();
    }
    return b.build();
  }

  /** A phase the kubelet has to report for a pod. */
  private record Report(String namespace, String name, String phase, String reason, int exitCode) {
    boolean ends() {
      return "Succeeded".equals(phase) || "Failed".equals(phase);
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
