package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A training job's capacity choice. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.maxSpotWaitSeconds) || self.policy == 'SpotPreferred'",
    message = "maxSpotWaitSeconds only applies to policy SpotPreferred: SpotOnly never falls back and OnDemandOnly never waits for spot")
public class TrainingCapacity {
  @Default("SpotPreferred")
  @JsonPropertyDescription("SpotPreferred (default): spot when the fleet mix allows and spot is there, on-demand after the spot wait; SpotOnly: wait for spot; OnDemandOnly: never spot.")
  private CapacityPolicy policy = CapacityPolicy.SpotPreferred;

  @Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = 64)
  @ValidationRule(
      value = "timestamp(self) >= timestamp('2000-01-01T00:00:00Z')",
      message = "deadline must be a real RFC 3339 time after 2000, for example 2026-12-01T00:00:00Z")
  @JsonPropertyDescription("RFC 3339 time by which the job must be complete, for example 2026-12-01T00:00:00Z; Spotter moves it to on-demand when the slack runs low.")
  private String deadline;

  @Min(0)
  @Max(604800)
  @JsonPropertyDescription("How long the job waits for spot before it falls back to on-demand; the operator's default (spotWaitSeconds) when omitted.")
  private Integer maxSpotWaitSeconds;

  public CapacityPolicy getPolicy() { return policy; }
  public void setPolicy(CapacityPolicy policy) { this.policy = policy; }
  public String getDeadline() { return deadline; }
  public void setDeadline(String deadline) { this.deadline = deadline; }
  public Integer getMaxSpotWaitSeconds() { return maxSpotWaitSeconds; }
  public void setMaxSpotWaitSeconds(Integer maxSpotWaitSeconds) { this.maxSpotWaitSeconds = maxSpotWaitSeconds; }
}
