package dev.spotter.fleet;

import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolSpec;
import dev.spotter.config.SpotterConfig;
import dev.spotter.scheduling.Accelerators;
import dev.spotter.scheduling.CapacityTypeDetector;
import dev.spotter.scheduling.PoolInfo;
import dev.spotter.scheduling.Selector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which GPU pools exist and which node belongs to which: the declared GpuPools, or, when none is
 * declared, pools discovered from node labels (accelerator vendor x capacity type x model x zone).
 */
public final class PoolCatalog {
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  /** A GPU node: the pool it belongs to, its GPUs and whether new work may go there. */
  public record GpuNode(String name, String pool, int allocatableGpus, boolean usable, String unusableReason) {}

  /** The result: pools by name and GPU nodes by name. */
  public record Catalog(Map<String, PoolInfo> pools, Map<String, GpuNode> nodes) {
    public List<GpuNode> nodesOf(String pool) {
      return nodes.values().stream().filter(n -> pool.equals(n.pool())).toList();
    }
  }

  private PoolCatalog() {}

  public static Catalog resolve(Collection<GpuPool> declared, Collection<Node> nodes, SpotterConfig config) {
    return resolve(declared, nodes, config, n -> false);
  }

  /**
   * @param underNotice nodes with a preemption notice in force: they take no new work
   */
  public static Catalog resolve(Collection<GpuPool> declared, Collection<Node> nodes, SpotterConfig config,
      java.util.function.Predicate<String> underNotice) {
    Catalog c = declared.isEmpty() ? discover(nodes, config) : fromDeclared(declared, nodes, config);
    Map<String, GpuNode> marked = new TreeMap<>();
    c.nodes().forEach((name, n) -> marked.put(name, n.usable() && underNotice.test(name)
        ? new GpuNode(n.name(), n.pool(), n.allocatableGpus(), false, "node has a preemption notice") : n));
    return new Catalog(c.pools(), marked);
  }

  private static Catalog fromDeclared(Collection<GpuPool> declared, Collection<Node> nodes, SpotterConfig config) {
    List<GpuPool> sorted = declared.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
    Map<String, List<Node>> members = new LinkedHashMap<>();
    sorted.forEach(p -> members.put(p.getMetadata().getName(), new ArrayList<>()));
    for (Node n : nodes) {
      Map<String, String> labels = labels(n);
      for (GpuPool p : sorted) {
        if (matches(p.getSpec().getNodeSelector(), labels)) {
          members.get(p.getMetadata().getName()).add(n);
          break; // a node belongs to the first pool (by name) that selects it
        }
      }
    }
    Map<String, PoolInfo> pools = new LinkedHashMap<>();
    Map<String, GpuNode> gpuNodes = new TreeMap<>();
    for (GpuPool p : sorted) {
      GpuPoolSpec s = p.getSpec();
      String name = p.getMetadata().getName();
      List<Node> ns = members.get(name);
      CapacityType type = s.getCapacityType() != null ? s.getCapacityType() : detect(ns);
      String resource = s.getGpuResource() != null ? s.getGpuResource() : config.gpuResource();
      String zone = s.getZone() != null ? s.getZone() : common(ns, ZONE_LABEL);
      String model = s.getGpuModel() != null ? s.getGpuModel() : commonModel(ns, resource);
      double price = s.getPricePerGpuHour() != null ? s.getPricePerGpuHour() : defaultPrice(type, config);
      List<PoolInfo.Taint> taints = s.getTaints() == null ? List.of()
          : s.getTaints().stream().map(t -> new PoolInfo.Taint(t.getKey(), t.getValue(), t.getEffect())).toList();
      pools.put(name, new PoolInfo(name, type, zone, model, resource, price, s.getNodeSelector(),
          selector(s.getNamespaceSelector()), taints, false));
      for (Node n : ns) {
        gpuNodes.put(n.getMetadata().getName(), gpuNode(n, name, resource));
      }
    }
    return new Catalog(pools, gpuNodes);
  }

  private static Catalog discover(Collection<Node> nodes, SpotterConfig config) {
    List<Accelerators.Vendor> vendors = Accelerators.discoverable(config.gpuResource());
    Map<String, PoolInfo> pools = new TreeMap<>();
    Map<String, GpuNode> gpuNodes = new TreeMap<>();
    Map<String, List<PoolInfo.Taint>> taintsByPool = new LinkedHashMap<>();
    for (Node n : nodes) {
      Optional<Accelerators.Vendor> vendor = vendors.stream().filter(v -> gpus(n, v.resource()) > 0).findFirst();
      if (vendor.isEmpty()) {
        continue;
      }
      String resource = vendor.get().resource();
      Map<String, String> labels = labels(n);
      CapacityType type = CapacityTypeDetector.detect(labels).orElse(CapacityType.OnDemand);
      String modelLabel = vendor.get().modelLabels().stream().filter(labels::containsKey).findFirst().orElse(null);
      String model = modelLabel == null ? null : labels.get(modelLabel);
      String zone = labels.get(ZONE_LABEL);
      // the vendor is part of the name: an NVIDIA and an AMD pool in one zone must not merge
      String name = "auto-" + vendor.get().shortName() + "-" + (type == CapacityType.Spot ? "spot" : "on-demand")
          + (model == null ? "" : "-" + sanitize(model)) + (zone == null ? "" : "-" + sanitize(zone));
      name = name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
      Map<String, String> selector = new TreeMap<>();
      if (modelLabel != null) {
        selector.put(modelLabel, model);
      }
      if (zone != null) {
        selector.put(ZONE_LABEL, zone);
      }
      final String poolName = name;
      taintsByPool.computeIfAbsent(poolName, k -> new ArrayList<>(spotTaints(n, resource)));
      pools.computeIfAbsent(poolName, k -> new PoolInfo(poolName, type, zone, model, resource,
          defaultPrice(type, config), selector, null, taintsByPool.get(poolName), true));
      gpuNodes.put(n.getMetadata().getName(), gpuNode(n, poolName, resource));
    }
    return new Catalog(new LinkedHashMap<>(pools), gpuNodes);
  }

  /**
   * Taints that spot nodes carry by design and that Spotter's pods must tolerate there, and the
   * taint named after the accelerator resource that keeps other pods off accelerator nodes.
   */
  private static List<PoolInfo.Taint> spotTaints(Node n, String resource) {
    if (n.getSpec() == null || n.getSpec().getTaints() == null) {
      return List.of();
    }
    return n.getSpec().getTaints().stream()
        .filter(t -> t.getKey().equals("kubernetes.azure.com/scalesetpriority")
            || t.getKey().equals("cloud.google.com/gke-spot")
            || t.getKey().equals(resource))
        .map(t -> new PoolInfo.Taint(t.getKey(), t.getValue(), t.getEffect()))
        .toList();
  }

  private static GpuNode gpuNode(Node n, String pool, String resource) {
    Optional<String> why = NodeHealth.unusableReason(n);
    return new GpuNode(n.getMetadata().getName(), pool, gpus(n, resource), why.isEmpty(), why.orElse(null));
  }

  static int gpus(Node n, String resource) {
    if (n.getStatus() == null || n.getStatus().getAllocatable() == null) {
      return 0;
    }
    Quantity q = n.getStatus().getAllocatable().get(resource);
    if (q == null) {
      return 0;
    }
    try {
      return q.getNumericalAmount().intValue();
    } catch (ArithmeticException | NumberFormatException e) {
      return 0;
    }
  }

  private static CapacityType detect(List<Node> nodes) {
    int spot = 0;
    int od = 0;
    for (Node n : nodes) {
      Optional<CapacityType> t = CapacityTypeDetector.detect(labels(n));
      if (t.isPresent()) {
        if (t.get() == CapacityType.Spot) {
          spot++;
        } else {
          od++;
        }
      }
    }
    return spot > od ? CapacityType.Spot : CapacityType.OnDemand;
  }

  private static String commonModel(List<Node> nodes, String resource) {
    var values = new HashSet<String>();
    nodes.forEach(n -> values.add(Accelerators.model(resource, labels(n))));
    values.remove(null);
    return values.size() == 1 ? values.iterator().next() : null;
  }

  private static String common(List<Node> nodes, String label) {
    var values = new HashSet<String>();
    nodes.forEach(n -> values.add(labels(n).get(label)));
    values.remove(null);
    return values.size() == 1 ? values.iterator().next() : null;
  }

  static double defaultPrice(CapacityType type, SpotterConfig c) {
    return type == CapacityType.Spot ? c.spotPricePerGpuHour() : c.onDemandPricePerGpuHour();
  }

  static Map<String, String> labels(Node n) {
    Map<String, String> l = n.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty()) {
      return false; // an empty selector would take every node; admission rejects it, this is the backstop
    }
    return selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  static Selector selector(LabelSelector s) {
    if (s == null) {
      return null;
    }
    List<Selector.Requirement> reqs = s.getMatchExpressions() == null ? List.of()
        : s.getMatchExpressions().stream()
            .map(e -> new Selector.Requirement(e.getKey(), e.getOperator(),
                e.getValues() == null ? java.util.Set.of() : java.util.Set.copyOf(e.getValues())))
            .toList();
    return new Selector(s.getMatchLabels(), reqs);
  }

  private static String sanitize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }
}
