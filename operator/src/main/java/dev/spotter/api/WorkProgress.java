package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The work a job with {@code spec.capacity.expectedDuration} has done, as the cost policy counts
 * it: run time committed by checkpoints, and the moment from which the current attempt's run
 * time counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkProgress {
  @JsonPropertyDescription("When the operator first considered the job (its clock): the cost policy paces the work from here to the deadline.")
  private String arrivedAt;

  @JsonPropertyDescription("Seconds of work committed by the last checkpoint: run time that a restart does not repeat.")
  private Long committedSeconds;

  @JsonPropertyDescription("When the current attempt's work started to count (all workers running, plus the restart overhead), or the last checkpoint after it; absent while the job does not run.")
  private String countingSince;

  public String getArrivedAt() { return arrivedAt; }
  public void setArrivedAt(String arrivedAt) { this.arrivedAt = arrivedAt; }
  public Long getCommittedSeconds() { return committedSeconds; }
  public void setCommittedSeconds(Long committedSeconds) { this.committedSeconds = committedSeconds; }
  public String getCountingSince() { return countingSince; }
  public void setCountingSince(String countingSince) { this.countingSince = countingSince; }

  public long committed() {
    return committedSeconds == null ? 0 : committedSeconds;
  }
}
