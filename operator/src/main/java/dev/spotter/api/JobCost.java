package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** GPU-hours and dollars a job has used so far, and what it saved against all on-demand. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobCost {
  @JsonPropertyDescription("GPU-hours on spot.")
  private Double spotGpuHours;
  @JsonPropertyDescription("GPU-hours on on-demand.")
  private Double onDemandGpuHours;
  @JsonPropertyDescription("Dollars spent.")
  private Double dollars;
  @JsonPropertyDescription("Dollars the same GPU-hours would have cost on on-demand.")
  private Double onDemandEquivalentDollars;
  @JsonPropertyDescription("GPU-hours of work lost to preemptions (recomputed since the last checkpoint).")
  private Double lostGpuHours;

  public Double getSpotGpuHours() { return spotGpuHours; }
  public void setSpotGpuHours(Double v) { this.spotGpuHours = v; }
  public Double getOnDemandGpuHours() { return onDemandGpuHours; }
  public void setOnDemandGpuHours(Double v) { this.onDemandGpuHours = v; }
  public Double getDollars() { return dollars; }
  public void setDollars(Double v) { this.dollars = v; }
  public Double getOnDemandEquivalentDollars() { return onDemandEquivalentDollars; }
  public void setOnDemandEquivalentDollars(Double v) { this.onDemandEquivalentDollars = v; }
  public Double getLostGpuHours() { return lostGpuHours; }
  public void setLostGpuHours(Double v) { this.lostGpuHours = v; }
}
