package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an InferenceJob and the recorded placement of each replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceJobStatus {
  @JsonPropertyDescription("Pending, Progressing, Running or Degraded.")
  private String phase;
  private String reason;
  private String message;
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Replicas with a placement.")
  private Integer replicas;
  @JsonPropertyDescription("Replicas whose pod is running.")
  private Integer readyReplicas;
  @JsonPropertyDescription("Replicas placed on spot.")
  private Integer spotReplicas;
  @JsonPropertyDescription("Replicas placed on on-demand.")
  private Integer onDemandReplicas;
  @JsonPropertyDescription("Replicas moved after a preemption.")
  private Integer preemptions;
  @JsonPropertyDescription("Placement of each replica (recorded before its pod is created).")
  private List<ReplicaPlacement> replicaPlacements = new ArrayList<>();
  @JsonPropertyDescription("GPU-hours and dollars so far.")
  private JobCost cost;
  private Long observedGeneration;

  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public Integer getReadyReplicas() { return readyReplicas; }
  public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
  public Integer getSpotReplicas() { return spotReplicas; }
  public void setSpotReplicas(Integer spotReplicas) { this.spotReplicas = spotReplicas; }
  public Integer getOnDemandReplicas() { return onDemandReplicas; }
  public void setOnDemandReplicas(Integer onDemandReplicas) { this.onDemandReplicas = onDemandReplicas; }
  public Integer getPreemptions() { return preemptions; }
  public void setPreemptions(Integer preemptions) { this.preemptions = preemptions; }
  public List<ReplicaPlacement> getReplicaPlacements() { return replicaPlacements; }
  public void setReplicaPlacements(List<ReplicaPlacement> replicaPlacements) { this.replicaPlacements = replicaPlacements; }
  public JobCost getCost() { return cost; }
  public void setCost(JobCost cost) { this.cost = cost; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
