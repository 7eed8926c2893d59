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

/** What an InferenceJob serves and how its replicas split between spot and on-demand. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.capacity) || !has(self.capacity.onDemandBase) || self.capacity.onDemandBase <= self.replicas",
    message = "capacity.onDemandBase cannot exceed replicas: lower onDemandBase or raise replicas")
public class InferenceJobSpec {
  @Required
  @Size(min = 1, max = 512)
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription("Container image of every replica.")
  private String image;

  @JsonPropertyDescription("Entrypoint of the replica container.")
  private List<String> command = new ArrayList<>();

  @JsonPropertyDescription("Arguments of the replica container.")
  private List<String> args = new ArrayList<>();

  @Size(max = 256)
  @ValidationRule(value = "self.all(e, has(e.name) && size(e.name) > 0)", message = "every env entry needs a name")
  @ValidationRule(value = "self.all(e, !(has(e.value) && size(e.value) > 0 && has(e.valueFrom)))", message = "an env entry sets either value or valueFrom, not both")
  @ValidationRule(value = "self.all(e, !has(e.name) || !e.name.startsWith('SPOTTER_'))", message = "env must not set SPOTTER_* variables: Spotter sets them")
  @JsonPropertyDescription("Environment of every replica.")
  private List<EnvVar> env = new ArrayList<>();

  @Min(1)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription("Port the replicas serve on.")
  private Integer port = 8080;

  @Min(0)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Number of replicas.")
  private Integer replicas = 1;

  @Min(1)
  @Max(16)
  @Default("1")
  @JsonPropertyDescription("GPUs of each replica.")
  private Integer gpusPerReplica = 1;

  @Pattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
  @JsonPropertyDescription("GPU model the replicas need; any when omitted.")
  private String gpuModel;

  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Extended resource name of the accelerators the replicas need, for example nvidia.com/gpu, amd.com/gpu or huawei.com/Ascend910; the operator's default (gpuResource in its configuration, nvidia.com/gpu unless changed) when omitted. Only pools offering exactly this resource are used.")
  private String gpuResource;

  @Pattern("^([0-9]+(\\.[0-9]+)?|[0-9]+m)$")
  @JsonPropertyDescription("CPU request of each replica.")
  private String cpu;

  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$")
  @JsonPropertyDescription("Memory request of each replica.")
  private String memory;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("ServiceAccount the replicas's pods run as, in the job's namespace; the namespace's default ServiceAccount when omitted. The pods get the rights of this account and no others: never the operator's.")
  private String serviceAccountName;

  @JsonPropertyDescription("Whether the replicas's pods get an API token of their ServiceAccount mounted; when omitted, the ServiceAccount's own automountServiceAccountToken decides.")
  private Boolean automountServiceAccountToken;

  @JsonPropertyDescription("The spot share and the on-demand base.")
  private InferenceCapacity capacity = new InferenceCapacity();

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public List<String> getCommand() { return command; }
  public void setCommand(List<String> command) { this.command = command; }
  public List<String> getArgs() { return args; }
  public void setArgs(List<String> args) { this.args = args; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public Integer getGpusPerReplica() { return gpusPerReplica; }
  public void setGpusPerReplica(Integer gpusPerReplica) { this.gpusPerReplica = gpusPerReplica; }
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
  public InferenceCapacity getCapacity() { return capacity; }
  public void setCapacity(InferenceCapacity capacity) { this.capacity = capacity; }

  public int replicas() { return replicas == null ? 1 : replicas; }
  public int gpusPerReplica() { return gpusPerReplica == null ? 1 : gpusPerReplica; }
  public int port() { return port == null ? 8080 : port; }
  public int spotPercent() {
    return capacity == null || capacity.getSpotPercent() == null ? 80 : capacity.getSpotPercent();
  }
  public int onDemandBase() {
    return capacity == null || capacity.getOnDemandBase() == null ? 1 : capacity.getOnDemandBase();
  }
}
