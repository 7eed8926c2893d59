package dev.spotter.fleet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accelerators held by pods that Spotter did not create, by node and extended resource name, kept
 * up to date from a watch. Every extended resource (a name with a domain, such as amd.com/gpu) is
 * counted, so each pool can read its own accelerator whatever the operator's default is.
 */
final class ForeignPods {
  private record Use(String node, Map<String, Integer> byResource) {}

  private final Map<String, Use> byPod = new ConcurrentHashMap<>();

  /** Node name to resource name to the units foreign pods hold there. */
  Map<String, Map<String, Integer>> gpusByNode() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    byPod.values().forEach(u -> u.byResource().forEach((r, n) ->
        out.computeIfAbsent(u.node(), k -> new HashMap<>()).merge(r, n, Integer::sum)));
    return out;
  }

  ResourceEventHandler<Pod> handler(Runnable onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        track(p, onChange);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod p) {
        track(p, onChange);
      }

      @Override
      public void onDelete(Pod p, boolean unknown) {
        if (byPod.remove(p.getMetadata().getUid()) != null) {
          onChange.run();
        }
      }
    };
  }

  private void track(Pod p, Runnable onChange) {
    String uid = p.getMetadata().getUid();
    Map<String, Integer> held = extendedResources(p);
    String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    boolean holds = !held.isEmpty() && node != null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    Use before = holds ? byPod.put(uid, new Use(node, held)) : byPod.remove(uid);
    if (!holds && before != null) {
      onChange.run(); // GPUs were freed
    }
  }

  static Map<String, Integer> extendedResources(Pod p) {
    Map<String, Integer> sum = new HashMap<>();
    if (p.getSpec() == null || p.getSpec().getContainers() == null) {
      return sum;
    }
    for (Container c : p.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      // extended resources need limit == request, so limits win and requests fill in
      Map<String, Quantity> merged = new HashMap<>();
      if (c.getResources().getRequests() != null) {
        merged.putAll(c.getResources().getRequests());
      }
      if (c.getResources().getLimits() != null) {
        merged.putAll(c.getResources().getLimits());
      }
      merged.forEach((name, q) -> {
        if (name.contains("/") && q != null) {
          int n = q.getNumericalAmount().intValue();
          if (n > 0) {
            sum.merge(name, n, Integer::sum);
          }
        }
      });
    }
    return sum;
  }
}
