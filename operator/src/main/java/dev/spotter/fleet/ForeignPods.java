package dev.spotter.fleet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** GPUs held by pods that Spotter did not create, by node, kept up to date from a watch. */
final class ForeignPods {
  private record Use(String node, int gpus) {}

  private final String resource;
  private final Map<String, Use> byPod = new ConcurrentHashMap<>();

  ForeignPods(String resource) {
    this.resource = resource;
  }

  Map<String, Integer> gpusByNode() {
    Map<String, Integer> out = new HashMap<>();
    byPod.values().forEach(u -> out.merge(u.node(), u.gpus(), Integer::sum));
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
    int gpus = gpus(p);
    String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    boolean holds = gpus > 0 && node != null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    Use before = holds ? byPod.put(uid, new Use(node, gpus)) : byPod.remove(uid);
    if (!holds && before != null) {
      onChange.run(); // GPUs were freed
    }
  }

  private int gpus(Pod p) {
    int sum = 0;
    if (p.getSpec() == null || p.getSpec().getContainers() == null) {
      return 0;
    }
    for (Container c : p.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Quantity q = c.getResources().getLimits() == null ? null : c.getResources().getLimits().get(resource);
      if (q == null && c.getResources().getRequests() != null) {
        q = c.getResources().getRequests().get(resource);
      }
      if (q != null) {
        sum += q.getNumericalAmount().intValue();
      }
    }
    return sum;
  }
}
