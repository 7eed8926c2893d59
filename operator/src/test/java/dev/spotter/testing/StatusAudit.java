package dev.spotter.testing;

import dev.spotter.api.ConditionRules;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches every TrainingJob and checks each version the API server reports against
 * {@link ConditionRules}: a status that contradicts itself is caught the moment it is written.
 */
public final class StatusAudit implements AutoCloseable {
  private final List<String> violations = new ArrayList<>();
  private final SharedIndexInformer<TrainingJob> informer;
  private long versions;

  public StatusAudit(KubernetesClient client) {
    informer = client.resources(TrainingJob.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(TrainingJob j) {
        check(j);
      }

      @Override
      public void onUpdate(TrainingJob old, TrainingJob j) {
        check(j);
      }

      @Override
      public void onDelete(TrainingJob j, boolean unknown) {}
    });
  }

  private synchronized void check(TrainingJob j) {
    versions++;
    for (String c : ConditionRules.contradictions(j.getStatus())) {
      violations.add(j.getMetadata().getName() + "@" + j.getMetadata().getResourceVersion() + ": " + c);
    }
  }

  /** Every contradiction seen: "job@resourceVersion: what". */
  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** How many job versions were checked. */
  public synchronized long versions() {
    return versions;
  }

  @Override
  public void close() {
    informer.close();
  }
}
