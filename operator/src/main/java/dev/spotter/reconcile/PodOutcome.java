package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/** What a pod's status says happened to it: still going, done, failed by the user's code, or disrupted. */
public enum PodOutcome {
  PENDING,
  RUNNING,
  SUCCEEDED,
  /** The workload exited non-zero: counts against maxRestarts. */
  USER_FAILURE,
  /** The pod was taken away (eviction, node shutdown, preemption): never the user's fault. */
  DISRUPTED,
  /** Being deleted. */
  TERMINATING;

  private static final Set<String> DISRUPTION_REASONS =
      Set.of("Evicted", "Preempting", "Shutdown", "NodeShutdown", "Terminated", "NodeLost", "NodeAffinity", "OutOfgpu", "UnexpectedAdmissionError");

  public static PodOutcome of(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null) {
      return TERMINATING;
    }
    var st = p.getStatus();
    if (st == null || st.getPhase() == null) {
      return PENDING;
    }
    boolean disruptionTarget = st.getConditions() != null && st.getConditions().stream()
        .anyMatch(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()));
    return switch (st.getPhase()) {
      case "Running" -> disruptionTarget ? DISRUPTED : RUNNING;
      case "Succeeded" -> SUCCEEDED;
      case "Failed" -> disruptionTarget || DISRUPTION_REASONS.contains(String.valueOf(st.getReason()))
          ? DISRUPTED : USER_FAILURE;
      default -> PENDING;
    };
  }

  /** Whether the pod still holds its rank: anything not finished (a disrupted pod may still run). */
  public static boolean live(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
