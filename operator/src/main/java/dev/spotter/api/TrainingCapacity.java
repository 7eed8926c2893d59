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
@ValidationRule(
    value = "!has(self.expectedDuration) || (self.policy == 'SpotPreferred' && has(self.deadline))",
    message = "expectedDuration drives the cost policy of SpotPreferred jobs with a deadline: set capacity.deadline (and policy SpotPreferred), or drop expectedDuration")
@ValidationRule(
    value = "!has(self.restartOverheadSeconds) || has(self.expectedDuration)",
    message = "restartOverheadSeconds is an input of the cost policy: set capacity.expectedDuration too, or drop it")
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

  @Pattern("^([0-9]{1,6}h)?([0-9]{1,6}m)?([0-9]{1,7}s)?$")
  @Size(max = 32)
  @ValidationRule(
      value = "self != '' && duration(self) >= duration('1m') && duration(self) <= duration('8760h')",
      message = "expectedDuration must be between 1m and 8760h, written like 48h, 90m or 1h30m")
  @JsonPropertyDescription("Uninterrupted run time the job needs, like 48h or 1h30m. With a deadline, Spotter's cost policy uses it (minus the work committed by checkpoints) to decide when to wait for spot, when to pay for on-demand and when to return to spot.")
  private String expectedDuration;

  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("Seconds lost on every start or restart before work progresses (image pull, loading the checkpoint); the operator's default (restartOverheadSeconds) when omitted.")
  private Integer restartOverheadSeconds;

  public CapacityPolicy getPolicy() { return policy; }
  public void setPolicy(CapacityPolicy policy) { this.policy = policy; }
  public String getDeadline() { return deadline; }
  public void setDeadline(String deadline) { this.deadline = deadline; }
  public Integer getMaxSpotWaitSeconds() { return maxSpotWaitSeconds; }
  public void setMaxSpotWaitSeconds(Integer maxSpotWaitSeconds) { this.maxSpotWaitSeconds = maxSpotWaitSeconds; }
  public String getExpectedDuration() { return expectedDuration; }
  public void setExpectedDuration(String expectedDuration) { this.expectedDuration = expectedDuration; }
  public Integer getRestartOverheadSeconds() { return restartOverheadSeconds; }
  public void setRestartOverheadSeconds(Integer restartOverheadSeconds) { this.restartOverheadSeconds = restartOverheadSeconds; }
}
