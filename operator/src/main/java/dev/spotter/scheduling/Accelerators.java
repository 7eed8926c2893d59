package dev.spotter.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accelerator resources Spotter knows by name, the node label that carries each vendor's model,
 * and the rule that ties a job to the pools whose accelerator it asked for. Pure.
 */
public final class Accelerators {
  public static final String NVIDIA = "nvidia.com/gpu";
  public static final String AMD = "amd.com/gpu";
  public static final String ASCEND_910 = "huawei.com/Ascend910";

  /**
   * A vendor's resource: a short vendor name (used in discovered pool names) and the node labels,
   * in order of preference, that carry the accelerator model.
   */
  public record Vendor(String resource, String shortName, List<String> modelLabels) {}

  // NVIDIA: GPU feature discovery; AMD: the ROCm node labeller (older releases prefix beta.);
  // Ascend: the label the Ascend device plugin's DaemonSet selects on, set by the administrator.
  private static final List<Vendor> WELL_KNOWN = List.of(
      new Vendor(NVIDIA, "nvidia", List.of("nvidia.com/gpu.product")),
      new Vendor(AMD, "amd", List.of("amd.com/gpu.product-name", "beta.amd.com/gpu.product-name")),
      new Vendor(ASCEND_910, "ascend", List.of("accelerator")));

  private Accelerators() {}

  /** The well-known vendors, then the operator's default resource when it is none of them. */
  public static List<Vendor> discoverable(String operatorDefault) {
    if (WELL_KNOWN.stream().anyMatch(v -> v.resource().equals(operatorDefault))) {
      return WELL_KNOWN;
    }
    var all = new java.util.ArrayList<>(WELL_KNOWN);
    all.add(new Vendor(operatorDefault, shortName(operatorDefault), List.of()));
    return List.copyOf(all);
  }

  /** The vendor entry of a resource name, when Spotter knows it. */
  public static Optional<Vendor> vendor(String resource) {
    return WELL_KNOWN.stream().filter(v -> v.resource().equals(resource)).findFirst();
  }

  /** The model of a node, from the first of its vendor's model labels that is set. */
  public static String model(String resource, Map<String, String> labels) {
    return vendor(resource).flatMap(v -> v.modelLabels().stream().map(labels::get).filter(m -> m != null).findFirst())
        .orElse(null);
  }

  /**
   * The resource a job competes for: the one it names, else the operator's default. A job that
   * names none therefore never lands on an AMD or Ascend pool of an NVIDIA-default operator.
   */
  public static String resolve(String requested, String operatorDefault) {
    return requested == null || requested.isBlank() ? operatorDefault : requested;
  }

  /** Whether a pool offers the (resolved) resource a job asked for: names must be equal. */
  public static boolean offers(PoolInfo pool, String resolvedResource) {
    return resolvedResource.equals(pool.gpuResource());
  }

  /** A DNS-label-safe vendor word for an arbitrary extended resource name (amd.com/gpu -> amd). */
  static String shortName(String resource) {
    String domain = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
    String first = domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain;
    String clean = first.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return clean.isEmpty() ? "gpu" : clean;
  }
}
