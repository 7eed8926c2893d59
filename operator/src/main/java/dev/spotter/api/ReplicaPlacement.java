package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where one inference replica runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaPlacement {
  private Integer index;
  private String pool;
  private CapacityType capacityType;
  private String zone;
  private String node;
  private Double pricePerGpuHour;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("True while a replacement starts elsewhere because this replica's node is under a preemption notice.")
  private Boolean retiring;

  public ReplicaPlacement() {}

  public ReplicaPlacement(int index, String pool, CapacityType capacityType, String zone, String node, Double price) {
    this.index = index;
    this.pool = pool;
    this.capacityType = capacityType;
    this.zone = zone;
    this.node = node;
    this.pricePerGpuHour = price;
  }

  public Integer getIndex() { return index; }
  public void setIndex(Integer index) { this.index = index; }
  public String getPool() { return pool; }
  public void setPool(String pool) { this.pool = pool; }
  public CapacityType getCapacityType() { return capacityType; }
  public void setCapacityType(CapacityType capacityType) { this.capacityType = capacityType; }
  public String getZone() { return zone; }
  public void setZone(String zone) { this.zone = zone; }
  public String getNode() { return node; }
  public void setNode(String node) { this.node = node; }
  public Boolean getRetiring() { return retiring; }
  public void setRetiring(Boolean retiring) { this.retiring = retiring; }
  public boolean retiring() { return Boolean.TRUE.equals(retiring); }
  public Double getPricePerGpuHour() { return pricePerGpuHour; }
  public void setPricePerGpuHour(Double pricePerGpuHour) { this.pricePerGpuHour = pricePerGpuHour; }
}
