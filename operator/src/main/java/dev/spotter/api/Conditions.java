package dev.spotter.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Condition types and reasons shared by all kinds, and the one way to set a condition. */
public final class Conditions {
  public static final String ADMITTED = "Admitted";
  public static final String RUNNING = "Running";
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String READY = "Ready";
  public static final String VALID = "Valid";

  public static final String REASON_INSUFFICIENT_CAPACITY = "InsufficientCapacity";
  public static final String REASON_POOL_NOT_PERMITTED = "PoolNotPermitted";
  public static final String REASON_UNKNOWN_POOL = "UnknownPool";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_PLACED = "Placed";
  public static final String REASON_SPOT_FALLBACK = "SpotWaitExpired";
  public static final String REASON_ALL_WORKERS_RUNNING = "AllWorkersRunning";
  public static final String REASON_WORKERS_STARTING = "WorkersStarting";
  public static final String REASON_ALL_WORKERS_SUCCEEDED = "AllWorkersSucceeded";
  public static final String REASON_WORKER_FAILED = "WorkerFailed";
  public static final String REASON_RESTART_LIMIT = "RestartLimitExceeded";

  private Conditions() {}

  /**
   * Sets a condition, keeping lastTransitionTime when the status does not change.
   *
   * @return true when anything changed
   */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    String st = status ? "True" : "False";
    Optional<Condition> existing = find(conditions, type);
    if (existing.isPresent()) {
      Condition c = existing.get();
      boolean same =
          st.equals(c.getStatus())
              && Objects.equals(reason, c.getReason())
              && Objects.equals(message, c.getMessage())
              && Objects.equals(generation, c.getObservedGeneration());
      if (same) {
        return false;
      }
      if (!st.equals(c.getStatus())) {
        c.setLastTransitionTime(now.toString());
      }
      c.setStatus(st);
      c.setReason(reason);
      c.setMessage(message);
      c.setObservedGeneration(generation);
      return true;
    }
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(st)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(now.toString())
            .build());
    return true;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
