package dev.spotter.testing;

import dev.spotter.api.Api;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches every Spotter pod and, after each change the API server reports, checks that no rank of
 * any job has two live pods (not Succeeded or Failed; a pod being deleted still counts, it may
 * still run). Every state the watch passes through is checked, not a sample of them.
 */
public final class RankWatch implements AutoCloseable {
  private final Map<String, Pod> pods = new HashMap<>();
  private final List<String> duplicates = new ArrayList<>();
  private final SharedIndexInformer<Pod> informer;
  private long changes;

  public RankWatch(KubernetesClient client) {
    informer = client.pods().inAnyNamespace().withLabel(Api.LABEL_MANAGED_BY, Api.MANAGED_BY).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        changed(p, false);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        changed(p, false);
      }

      @Override
      public void onDelete(Pod p, boolean unknown) {
        changed(p, true);
      }
    });
  }

  private synchronized void changed(Pod p, boolean deleted) {
    changes++;
    String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    if (deleted) {
      pods.remove(key);
      return;
    }
    pods.put(key, p);
    String rank = rankOf(p);
    if (rank == null || !live(p)) {
      return;
    }
    List<String> same = pods.values().stream().filter(o -> rank.equals(rankOf(o)) && live(o))
        .map(o -> o.getMetadata().getName()).sorted().toList();
    if (same.size() > 1) {
      duplicates.add(rank + " " + same);
    }
  }

  private static String rankOf(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    String job = l.get(Api.LABEL_JOB);
    String rank = l.get(Api.LABEL_RANK);
    return job == null || rank == null ? null : p.getMetadata().getNamespace() + "/" + job + "/" + rank;
  }

  private static boolean live(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** Every moment a rank had two live pods: "namespace/job/rank [pod, pod]". */
  public synchronized List<String> duplicates() {
    return List.copyOf(duplicates);
  }

  /** How many pod changes the watch saw (to show the check had something to look at). */
  public synchronized long changes() {
    return changes;
  }

  @Override
  public void close() {
    informer.close();
  }
}
