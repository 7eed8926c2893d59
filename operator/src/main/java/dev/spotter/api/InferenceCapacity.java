package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The split of an inference job's replicas between on-demand and spot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceCapacity {
  @Min(0)
  @Max(100)
  @Default("80")
  @JsonPropertyDescription("Percent of the replicas above the on-demand base that run on spot (rounded down).")
  private Integer spotPercent = 80;

  @Min(0)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Replicas that always run on on-demand, so the service keeps serving through preemptions.")
  private Integer onDemandBase = 1;

  public Integer getSpotPercent() { return spotPercent; }
  public void setSpotPercent(Integer spotPercent) { this.spotPercent = spotPercent; }
  public Integer getOnDemandBase() { return onDemandBase; }
  public void setOnDemandBase(Integer onDemandBase) { this.onDemandBase = onDemandBase; }
}
