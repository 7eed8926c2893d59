package dev.spotter.e2e;

import static org.awaitility.Awaitility.await;

import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** What a user does and sees with kubectl, for the E2E tests: apply, get, logs, events. */
final class Jobs {
  /** The field manager of the "user" who applies job manifests (kubectl apply --server-side would be "kubectl"). */
  static final String USER = "e2e-user";

  private final KubernetesClient client;

  Jobs(KubernetesClient client) {
    this.client = client;
  }

  /** Applies the manifest with server-side apply, as {@code kubectl apply --server-side} does, without forcing. */
  GenericKubernetesResource apply(Workload workload) {
    return client.resource(workload.resource(client)).fieldManager(USER).serverSideApply();
  }

  TrainingJob get(String namespace, String name) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until the job's status satisfies {@code condition} and returns the job. */
  TrainingJob awaitStatus(String namespace, String name, String what, Duration atMost, Predicate<TrainingJobStatus> condition) {
    return await(name + ": " + what).atMost(atMost).pollInterval(Duration.ofMillis(500))
        .until(() -> get(namespace, name), j -> j != null && j.getStatus() != null && condition.test(j.getStatus()));
  }

  Pod pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  /** Waits until the pod exists and satisfies {@code condition}. */
  Pod awaitPod(String namespace, String name, String what, Duration atMost, Predicate<Pod> condition) {
    return await("pod " + name + ": " + what).atMost(atMost).pollInterval(Duration.ofMillis(500))
        .until(() -> pod(namespace, name), p -> p != null && condition.test(p));
  }

  static boolean running(Pod p) {
    return "Running".equals(p.getStatus().getPhase());
  }

  /** Running, or already finished successfully (a short workload may pass Running between two looks). */
  static boolean started(Pod p) {
    return running(p) || "Succeeded".equals(p.getStatus().getPhase());
  }

  /** The worker's log (kubectl logs). */
  String log(String namespace, String pod) {
    return client.pods().inNamespace(namespace).withName(pod).getLog();
  }

  /** The Events about one object, oldest first (kubectl describe). */
  List<Event> events(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** The step numbers the workload logged ("step N"), in order. */
  static List<Integer> steps(String log) {
    return log.lines().filter(l -> l.matches("step \\d+")).map(l -> Integer.parseInt(l.substring(5))).toList();
  }
}
