package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator sees of a pool: its resolved capacity type, nodes and GPUs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuPoolStatus {
  @JsonPropertyDescription("Capacity type in effect (from spec, else detected from node labels).")
  private CapacityType capacityType;
  @JsonPropertyDescription("Nodes matching the selector.")
  private Integer nodes;
  @JsonPropertyDescription("Ready, schedulable nodes not under a preemption notice.")
  private Integer readyNodes;
  @JsonPropertyDescription("Allocatable GPUs on the ready nodes.")
  private Integer totalGpus;
  @JsonPropertyDescription("GPUs held by pods.")
  private Integer allocatedGpus;
  private List<Condition> conditions = new ArrayList<>();
  private Long observedGeneration;

  public CapacityType getCapacityType() { return capacityType; }
  public void setCapacityType(CapacityType capacityType) { this.capacityType = capacityType; }
  public Integer getNodes() { return nodes; }
  public void setNodes(Integer nodes) { this.nodes = nodes; }
  public Integer getReadyNodes() { return readyNodes; }
  public void setReadyNodes(Integer readyNodes) { this.readyNodes = readyNodes; }
  public Integer getTotalGpus() { return totalGpus; }
  public void setTotalGpus(Integer totalGpus) { this.totalGpus = totalGpus; }
  public Integer getAllocatedGpus() { return allocatedGpus; }
  public void setAllocatedGpus(Integer allocatedGpus) { this.allocatedGpus = allocatedGpus; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
