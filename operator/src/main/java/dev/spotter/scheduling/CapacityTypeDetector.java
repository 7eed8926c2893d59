package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a node's capacity type from the labels that Karpenter, EKS, GKE, AKS and Spot.io put on
 * nodes, so pools work without any Spotter-specific labels.
 */
public final class CapacityTypeDetector {
  private CapacityTypeDetector() {}

  public static Optional<CapacityType> detect(Map<String, String> labels) {
    if (labels == null) {
      return Optional.empty();
    }
    String explicit = labels.get("spotter.dev/capacity-type");
    if (explicit != null) {
      return parse(explicit);
    }
    String karpenter = labels.get("karpenter.sh/capacity-type");
    if (karpenter != null) {
      return parse(karpenter);
    }
    String eks = labels.get("eks.amazonaws.com/capacityType");
    if (eks != null) {
      return parse(eks);
    }
    if ("true".equals(labels.get("cloud.google.com/gke-spot")) || "true".equals(labels.get("cloud.google.com/gke-preemptible"))) {
      return Optional.of(CapacityType.Spot);
    }
    String aks = labels.get("kubernetes.azure.com/scalesetpriority");
    if (aks != null) {
      return Optional.of("spot".equalsIgnoreCase(aks) ? CapacityType.Spot : CapacityType.OnDemand);
    }
    String spotinst = labels.get("spotinst.io/node-lifecycle");
    if (spotinst != null) {
      return parse(spotinst);
    }
    return Optional.empty();
  }

  private static Optional<CapacityType> parse(String v) {
    String s = v.trim().toLowerCase().replace("_", "-");
    return switch (s) {
      case "spot", "preemptible" -> Optional.of(CapacityType.Spot);
      case "on-demand", "ondemand", "od", "regular", "reserved" -> Optional.of(CapacityType.OnDemand);
      default -> Optional.empty();
    };
  }
}
