package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which nodes form a pool and what their GPUs cost. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuPoolSpec {
  @Required
  @ValidationRule(value = "size(self) > 0", message = "nodeSelector needs at least one label, else the pool would take every node")
  @JsonPropertyDescription("Labels a node must carry to belong to the pool.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @ValidationRule(value = "self == oldSelf", message = "capacityType is immutable: a node's purchase option does not change; create another GpuPool for the other capacity type")
  @JsonPropertyDescription("Spot or OnDemand; detected from the well-known node labels (Karpenter, EKS, GKE, AKS, Spot.io) when omitted.")
  private CapacityType capacityType;

  @Pattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
  @JsonPropertyDescription("GPU model of the nodes (as in the nvidia.com/gpu.product label); read from the nodes when omitted.")
  private String gpuModel;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Zone of the nodes (topology.kubernetes.io/zone); read from the nodes when omitted.")
  private String zone;

  @Min(0)
  @Max(10000)
  @JsonPropertyDescription("Price of one GPU-hour in USD, used for placement and cost accounting.")
  private Double pricePerGpuHour;

  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Extended resource name of the accelerators; nvidia.com/gpu when omitted.")
  private String gpuResource;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(t, self.exists_one(u, u.key == t.key && u.effect == t.effect))",
      message = "taints must not repeat a key with the same effect, as on a Node")
  @JsonPropertyDescription("Taints the pool's nodes carry; Spotter's pods tolerate them.")
  private List<PoolTaint> taints = new ArrayList<>();

  @JsonPropertyDescription("Namespaces whose jobs may use the pool; every namespace when omitted.")
  private LabelSelector namespaceSelector;

  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public CapacityType getCapacityType() { return capacityType; }
  public void setCapacityType(CapacityType capacityType) { this.capacityType = capacityType; }
  public String getGpuModel() { return gpuModel; }
  public void setGpuModel(String gpuModel) { this.gpuModel = gpuModel; }
  public String getZone() { return zone; }
  public void setZone(String zone) { this.zone = zone; }
  public Double getPricePerGpuHour() { return pricePerGpuHour; }
  public void setPricePerGpuHour(Double pricePerGpuHour) { this.pricePerGpuHour = pricePerGpuHour; }
  public String getGpuResource() { return gpuResource; }
  public void setGpuResource(String gpuResource) { this.gpuResource = gpuResource; }
  public List<PoolTaint> getTaints() { return taints; }
  public void setTaints(List<PoolTaint> taints) { this.taints = taints; }
  public LabelSelector getNamespaceSelector() { return namespaceSelector; }
  public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
}
