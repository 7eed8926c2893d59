package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** How a training job is checkpointed; see docs/checkpoint-contract.md. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.trigger != 'Http' || has(self.port)", message = "checkpoint.trigger Http needs checkpoint.port, the port every worker listens on for POST <path>")
@ValidationRule(value = "self.trigger != 'Exec' || (has(self.command) && size(self.command) > 0)", message = "checkpoint.trigger Exec needs checkpoint.command, the command run in every worker")
@ValidationRule(value = "!has(self.intervalSeconds) || self.intervalSeconds >= self.timeoutSeconds", message = "checkpoint.intervalSeconds must be at least checkpoint.timeoutSeconds")
@ValidationRule(value = "self.trigger == 'Http' || !has(self.port)", message = "checkpoint.port only applies to trigger Http: remove it or set trigger Http")
@ValidationRule(
    value = "self.trigger == 'Http' || !has(self.path) || self.path == '/checkpoint'",
    message = "checkpoint.path only applies to trigger Http: remove it or set trigger Http")
@ValidationRule(
    value = "self.trigger == 'Exec' || !has(self.command) || size(self.command) == 0",
    message = "checkpoint.command only applies to trigger Exec: remove it or set trigger Exec")
public class CheckpointSpec {
  @Default("Http")
  @JsonPropertyDescription("Http (POST <port><path> on every worker), Exec (run command in every worker) or Signal (SIGTERM with a grace period ending before the notice deadline).")
  private CheckpointTrigger trigger = CheckpointTrigger.Http;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the checkpoint endpoint (trigger Http).")
  private Integer port;

  @Default("/checkpoint")
  @Pattern("^/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$")
  @JsonPropertyDescription("Path of the checkpoint endpoint (trigger Http).")
  private String path = "/checkpoint";

  @JsonPropertyDescription("Command run in every worker (trigger Exec).")
  private List<String> command = new ArrayList<>();

  @Min(1)
  @Max(600)
  @Default("20")
  @JsonPropertyDescription("Seconds a final checkpoint may take; also bounded by the notice deadline minus the safety margin.")
  private Integer timeoutSeconds = 20;

  @Min(10)
  @Max(86400)
  @JsonPropertyDescription("Expected seconds between periodic checkpoints, used to account the work lost since the last one.")
  private Integer intervalSeconds;

  @JsonPropertyDescription("Where checkpoints live.")
  private CheckpointStorage storage;

  @Default("false")
  @JsonPropertyDescription("Delete the checkpoint volume claim with the job; checkpoints are kept by default.")
  private Boolean deleteWithJob = false;

  public CheckpointTrigger getTrigger() { return trigger; }
  public void setTrigger(CheckpointTrigger trigger) { this.trigger = trigger; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public List<String> getCommand() { return command; }
  public void setCommand(List<String> command) { this.command = command; }
  public Integer getTimeoutSeconds() { return timeoutSeconds; }
  public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
  public Integer getIntervalSeconds() { return intervalSeconds; }
  public void setIntervalSeconds(Integer intervalSeconds) { this.intervalSeconds = intervalSeconds; }
  public CheckpointStorage getStorage() { return storage; }
  public void setStorage(CheckpointStorage storage) { this.storage = storage; }
  public Boolean getDeleteWithJob() { return deleteWithJob; }
  public void setDeleteWithJob(Boolean deleteWithJob) { this.deleteWithJob = deleteWithJob; }
}
