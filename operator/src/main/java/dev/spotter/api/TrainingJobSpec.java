package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/** What a TrainingJob runs and on what capacity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobSpec {
  @Required
  @Size(min = 1, max = 512)
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription("Container image of every worker, for example ghcr.io/acme/train:1.4.")
  private String image;

  @JsonPropertyDescription("Entrypoint of the worker container; the image's when omitted.")
  private List<String> command = new ArrayList<>();

  @JsonPropertyDescription("Arguments of the worker container.")
  private List<String> args = new ArrayList<>();

  @JsonPropertyDescription("Environment of every worker. Names starting with SPOTTER_ and the rendezvous variables are set by Spotter.")
  @Size(max = 256)
  @ValidationRule(value = "self.all(e, has(e.name) && size(e.name) > 0)", message = "every env entry needs a name")
  @ValidationRule(value = "self.all(e, !(has(e.value) && size(e.value) > 0 && has(e.valueFrom)))", message = "an env entry sets either value or valueFrom, not both")
  @ValidationRule(
      value = "self.all(e, !has(e.name) || !e.name.startsWith('SPOTTER_') && !(e.name in ['MASTER_ADDR', 'MASTER_PORT', 'WORLD_SIZE', 'RANK']))",
      message = "env must not set SPOTTER_* or MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK: Spotter sets them for every worker")
  private List<EnvVar> env = new ArrayList<>();

  @Min(1)
  @Max(1024)
  @Default("1")
  @JsonPropertyDescription("Number of workers (ranks) in the gang; all start together or none does. Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "workers is immutable: create a new TrainingJob to change the gang size")
  private Integer workers = 1;

  @Min(1)
  @Max(16)
  @Default("1")
  @JsonPropertyDescription("GPUs of each worker, all on one node. Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "gpusPerWorker is immutable: create a new TrainingJob to change it")
  private Integer gpusPerWorker = 1;

  @Pattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
  @JsonPropertyDescription("GPU model the workers need (node label nvidia.com/gpu.product or the pool's gpuModel), for example NVIDIA-H100-80GB-HBM3; any model when omitted.")
  private String gpuModel;

  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Extended resource name of the accelerators the workers need, for example nvidia.com/gpu, amd.com/gpu or huawei.com/Ascend910; the operator's default (gpuResource in its configuration, nvidia.com/gpu unless changed) when omitted. Only pools offering exactly this resource are used.")
  private String gpuResource;

  @Pattern("^([0-9]+(\\.[0-9]+)?|[0-9]+m)$")
  @JsonPropertyDescription("CPU request of each worker, for example 8 or 500m.")
  private String cpu;

  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$")
  @JsonPropertyDescription("Memory request of each worker, for example 64Gi.")
  private String memory;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("ServiceAccount the workers's pods run as, in the job's namespace; the namespace's default ServiceAccount when omitted. The pods get the rights of this account and no others: never the operator's.")
  private String serviceAccountName;

  @JsonPropertyDescription("Whether the workers's pods get an API token of their ServiceAccount mounted; when omitted, the ServiceAccount's own automountServiceAccountToken decides.")
  private Boolean automountServiceAccountToken;

  @JsonPropertyDescription("Spot or on-demand, and the deadline.")
  private TrainingCapacity capacity = new TrainingCapacity();

  @JsonPropertyDescription("How a checkpoint is triggered and where checkpoints live.")
  private CheckpointSpec checkpoint;

  @Min(0)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Restarts allowed after user failures (a worker exiting non-zero). Preemptions never count.")
  private Integer maxRestarts = 3;

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public List<String> getCommand() { return command; }
  public void setCommand(List<String> command) { this.command = command; }
  public List<String> getArgs() { return args; }
  public void setArgs(List<String> args) { this.args = args; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
  public Integer getWorkers() { return workers; }
  public void setWorkers(Integer workers) { this.workers = workers; }
  public Integer getGpusPerWorker() { return gpusPerWorker; }
  public void setGpusPerWorker(Integer gpusPerWorker) { this.gpusPerWorker = gpusPerWorker; }
  public String getGpuModel() { return gpuModel; }
  public void setGpuModel(String gpuModel) { this.gpuModel = gpuModel; }
  public String getGpuResource() { return gpuResource; }
  public void setGpuResource(String gpuResource) { this.gpuResource = gpuResource; }
  public String getCpu() { return cpu; }
  public void setCpu(String cpu) { this.cpu = cpu; }
  public String getServiceAccountName() { return serviceAccountName; }
  public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
  public Boolean getAutomountServiceAccountToken() { return automountServiceAccountToken; }
  public void setAutomountServiceAccountToken(Boolean automountServiceAccountToken) { this.automountServiceAccountToken = automountServiceAccountToken; }
  public String getMemory() { return memory; }
  public void setMemory(String memory) { this.memory = memory; }
  public TrainingCapacity getCapacity() { return capacity; }
  public void setCapacity(TrainingCapacity capacity) { this.capacity = capacity; }
  public CheckpointSpec getCheckpoint() { return checkpoint; }
  public void setCheckpoint(CheckpointSpec checkpoint) { this.checkpoint = checkpoint; }
  public Integer getMaxRestarts() { return maxRestarts; }
  public void setMaxRestarts(Integer maxRestarts) { this.maxRestarts = maxRestarts; }

  /** Workers, with the default applied. */
  public int workers() { return workers == null ? 1 : workers; }

  /** GPUs per worker, with the default applied. */
  public int gpusPerWorker() { return gpusPerWorker == null ? 1 : gpusPerWorker; }

  /** Restart budget, with the default applied. */
  public int maxRestarts() { return maxRestarts == null ? 3 : maxRestarts; }

  /** Capacity policy, with the default applied. */
  public CapacityPolicy policy() {
    return capacity == null || capacity.getPolicy() == null ? CapacityPolicy.SpotPreferred : capacity.getPolicy();
  }
}
