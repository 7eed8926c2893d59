package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a TrainingJob, and the operator's recorded intent: placement and attempt are
 * written here before any pod is created, so a restarted operator replays the same decision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobStatus {
  @JsonPropertyDescription("Pending, Running, Checkpointing, Restarting, Succeeded or Failed.")
  private JobPhase phase;

  @JsonPropertyDescription("Reason of the latest transition, for example InsufficientCapacity.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the latest transition.")
  private String message;

  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Where the current attempt runs (recorded before its pods are created).")
  private Placement placement;

  @JsonPropertyDescription("Current attempt, starting at 1; every (re)start of the gang is a new attempt.")
  private Integer attempt;

  @JsonPropertyDescription("Restarts after user failures; counted against spec.maxRestarts.")
  private Integer restarts;

  @JsonPropertyDescription("Preemptions survived; never counted against spec.maxRestarts.")
  private Integer preemptions;

  @JsonPropertyDescription("When the job started waiting for capacity (RFC 3339).")
  private String pendingSince;

  @JsonPropertyDescription("When the current attempt was admitted (RFC 3339).")
  private String admittedAt;

  @JsonPropertyDescription("When the job finished (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription("Workers currently running.")
  private Integer runningWorkers;

  @JsonPropertyDescription("Workers that exited successfully in the current attempt.")
  private Integer succeededWorkers;

  @JsonPropertyDescription("The last committed checkpoint; the next attempt resumes from it.")
  private CheckpointRef lastCheckpoint;

  @JsonPropertyDescription("The preemption being handled right now, if any.")
  private Rescue rescue;

  @JsonPropertyDescription("Times of recent preemptions (RFC 3339), for the move to on-demand after repeated ones.")
  private List<String> recentPreemptions;

  @JsonPropertyDescription("Until when the job stays on on-demand after repeated preemptions (RFC 3339).")
  private String onDemandUntil;

  @JsonPropertyDescription("GPU-hours and dollars so far.")
  private JobCost cost;

  @JsonPropertyDescription("Work done so far, counted for jobs with capacity.expectedDuration (the cost policy's input).")
  private WorkProgress progress;

  private Long observedGeneration;

  public JobPhase getPhase() { return phase; }
  public void setPhase(JobPhase phase) { this.phase = phase; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Placement getPlacement() { return placement; }
  public void setPlacement(Placement placement) { this.placement = placement; }
  public Integer getAttempt() { return attempt; }
  public void setAttempt(Integer attempt) { this.attempt = attempt; }
  public Integer getRestarts() { return restarts; }
  public void setRestarts(Integer restarts) { this.restarts = restarts; }
  public Integer getPreemptions() { return preemptions; }
  public void setPreemptions(Integer preemptions) { this.preemptions = preemptions; }
  public String getPendingSince() { return pendingSince; }
  public void setPendingSince(String pendingSince) { this.pendingSince = pendingSince; }
  public String getAdmittedAt() { return admittedAt; }
  public void setAdmittedAt(String admittedAt) { this.admittedAt = admittedAt; }
  public String getCompletedAt() { return completedAt; }
  public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
  public Integer getRunningWorkers() { return runningWorkers; }
  public void setRunningWorkers(Integer runningWorkers) { this.runningWorkers = runningWorkers; }
  public Integer getSucceededWorkers() { return succeededWorkers; }
  public void setSucceededWorkers(Integer succeededWorkers) { this.succeededWorkers = succeededWorkers; }
  public CheckpointRef getLastCheckpoint() { return lastCheckpoint; }
  public void setLastCheckpoint(CheckpointRef lastCheckpoint) { this.lastCheckpoint = lastCheckpoint; }
  public Rescue getRescue() { return rescue; }
  public void setRescue(Rescue rescue) { this.rescue = rescue; }
  public List<String> getRecentPreemptions() { return recentPreemptions; }
  public void setRecentPreemptions(List<String> recentPreemptions) { this.recentPreemptions = recentPreemptions; }
  public String getOnDemandUntil() { return onDemandUntil; }
  public void setOnDemandUntil(String onDemandUntil) { this.onDemandUntil = onDemandUntil; }
  public WorkProgress getProgress() { return progress; }
  public void setProgress(WorkProgress progress) { this.progress = progress; }
  public JobCost getCost() { return cost; }
  public void setCost(JobCost cost) { this.cost = cost; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }

  public int attempt() { return attempt == null ? 0 : attempt; }
  public int restarts() { return restarts == null ? 0 : restarts; }
  public int preemptions() { return preemptions == null ? 0 : preemptions; }
}
