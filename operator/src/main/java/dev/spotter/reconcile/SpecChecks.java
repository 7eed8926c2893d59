package dev.spotter.reconcile;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.InferenceJobSpec;
import dev.spotter.api.TrainingJobSpec;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The admission rules again, for API servers that did not run them (an old CRD, a mock server):
 * a job that breaks one gets an InvalidSpec condition and a Warning event instead of pods.
 */
public final class SpecChecks {
  private SpecChecks() {}

  public static List<String> training(TrainingJobSpec s) {
    List<String> errors = new ArrayList<>();
    if (s == null) {
      return List.of("spec is missing");
    }
    if (s.getImage() == null || s.getImage().isBlank()) {
      errors.add("spec.image is required: the container image every worker runs");
    }
    if (s.workers() < 1 || s.workers() > 1024) {
      errors.add("spec.workers must be between 1 and 1024, got " + s.workers());
    }
    if (s.gpusPerWorker() < 1 || s.gpusPerWorker() > 16) {
      errors.add("spec.gpusPerWorker must be between 1 and 16, got " + s.gpusPerWorker());
    }
    if (s.maxRestarts() < 0) {
      errors.add("spec.maxRestarts must not be negative");
    }
    if (s.getCapacity() != null && s.getCapacity().getDeadline() != null) {
      try {
        OffsetDateTime.parse(s.getCapacity().getDeadline());
      } catch (DateTimeParseException e) {
        errors.add("spec.capacity.deadline must be an RFC 3339 time such as 2026-12-01T00:00:00Z, got " + s.getCapacity().getDeadline());
      }
    }
    CheckpointSpec cp = s.getCheckpoint();
    if (cp != null) {
      if (cp.getTrigger() == CheckpointTrigger.Http && cp.getPort() == null) {
        errors.add("spec.checkpoint.port is required with trigger Http");
      }
      if (cp.getTrigger() == CheckpointTrigger.Exec && (cp.getCommand() == null || cp.getCommand().isEmpty())) {
        errors.add("spec.checkpoint.command is required with trigger Exec");
      }
    }
    if (s.getEnv() != null) {
      s.getEnv().stream().filter(e -> e.getName() != null && e.getName().startsWith("SPOTTER_"))
          .forEach(e -> errors.add("spec.env must not set " + e.getName() + ": Spotter sets SPOTTER_* variables"));
    }
    return errors;
  }

  public static List<String> inference(InferenceJobSpec s) {
    List<String> errors = new ArrayList<>();
    if (s == null) {
      return List.of("spec is missing");
    }
    if (s.getImage() == null || s.getImage().isBlank()) {
      errors.add("spec.image is required: the container image every replica runs");
    }
    if (s.replicas() < 0 || s.replicas() > 1000) {
      errors.add("spec.replicas must be between 0 and 1000, got " + s.replicas());
    }
    if (s.gpusPerReplica() < 1 || s.gpusPerReplica() > 16) {
      errors.add("spec.gpusPerReplica must be between 1 and 16, got " + s.gpusPerReplica());
    }
    if (s.spotPercent() < 0 || s.spotPercent() > 100) {
      errors.add("spec.capacity.spotPercent must be between 0 and 100, got " + s.spotPercent());
    }
    if (s.onDemandBase() < 0) {
      errors.add("spec.capacity.onDemandBase must not be negative");
    } else if (s.onDemandBase() > s.replicas()) {
      errors.add("spec.capacity.onDemandBase (" + s.onDemandBase() + ") cannot exceed spec.replicas (" + s.replicas() + ")");
    }
    return errors;
  }
}
