package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Where checkpoints live: a volume claim mounted into every worker, or a URI the workload writes to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.persistentVolumeClaim) != has(self.uri)", message = "checkpoint.storage needs exactly one of persistentVolumeClaim or uri")
public class CheckpointStorage {
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of a PersistentVolumeClaim in the job's namespace, mounted at mountPath in every worker.")
  private String persistentVolumeClaim;

  @Default("/checkpoints")
  @Pattern("^/.*$")
  @JsonPropertyDescription("Where the claim is mounted.")
  private String mountPath = "/checkpoints";

  @Pattern("^[a-z][a-z0-9+.-]*://.+$")
  @JsonPropertyDescription("Base URI of the checkpoints (for example s3://bucket/run-7 or gs://bucket/run-7), passed as SPOTTER_CHECKPOINT_URI.")
  private String uri;

  public String getPersistentVolumeClaim() { return persistentVolumeClaim; }
  public void setPersistentVolumeClaim(String persistentVolumeClaim) { this.persistentVolumeClaim = persistentVolumeClaim; }
  public String getMountPath() { return mountPath; }
  public void setMountPath(String mountPath) { this.mountPath = mountPath; }
  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
}
