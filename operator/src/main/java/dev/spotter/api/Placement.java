package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Where a job (or a replica) runs: the pool, its capacity type and zone, and the node per rank. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Placement {
  private String pool;
  private CapacityType capacityType;
  private String zone;
  private Double pricePerGpuHour;
  /** Node of each rank, index = rank. */
  private List<String> nodes = new ArrayList<>();

  public Placement() {}

  public Placement(String pool, CapacityType capacityType, String zone, Double pricePerGpuHour, List<String> nodes) {
    this.pool = pool;
    this.capacityType = capacityType;
    this.zone = zone;
    this.pricePerGpuHour = pricePerGpuHour;
    this.nodes = new ArrayList<>(nodes);
  }

  public String getPool() { return pool; }
  public void setPool(String pool) { this.pool = pool; }
  public CapacityType getCapacityType() { return capacityType; }
  public void setCapacityType(CapacityType capacityType) { this.capacityType = capacityType; }
  public String getZone() { return zone; }
  public void setZone(String zone) { this.zone = zone; }
  public Double getPricePerGpuHour() { return pricePerGpuHour; }
  public void setPricePerGpuHour(Double pricePerGpuHour) { this.pricePerGpuHour = pricePerGpuHour; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
}
