package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A committed checkpoint of a training job, as reported by its workers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointRef {
  @JsonPropertyDescription("Checkpoint id or URI, passed to the next attempt as SPOTTER_RESUME_FROM.")
  private String id;

  @JsonPropertyDescription("Training step of the checkpoint, when the workload reports it.")
  private Long step;

  @JsonPropertyDescription("When it was committed (RFC 3339).")
  private String time;

  @JsonPropertyDescription("Notice (taken on a preemption notice) or Periodic.")
  private String source;

  @JsonPropertyDescription("Attempt that wrote it.")
  private Integer attempt;

  public String getId() { return id; }
  public void setId(String id) { this.id = id; }
  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public String getTime() { return time; }
  public void setTime(String time) { this.time = time; }
  public String getSource() { return source; }
  public void setSource(String source) { this.source = source; }
  public Integer getAttempt() { return attempt; }
  public void setAttempt(Integer attempt) { this.attempt = attempt; }
}
