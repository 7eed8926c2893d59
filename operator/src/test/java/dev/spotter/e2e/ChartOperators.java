package dev.spotter.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/**
 * Mode image: the chart's own Deployment, two replicas of the image Maven built, elected on the
 * chart's Lease. Deleting the leader pod is what a node drain or a crash does.
 */
final class ChartOperators implements OperatorReplicas {
  private static final String SELECTOR = "app.kubernetes.io/component";
  private final KubernetesClient admin;

  private ChartOperators(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Waits for a leader among the chart's pods (helm already waited for them to be ready). */
  static ChartOperators start(KubernetesClient admin) {
    ChartOperators ops = new ChartOperators(admin);
    await("a chart pod holding the Lease").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> ops.podOf(OperatorReplicas.leaseHolder(admin)) != null);
    return ops;
  }

  private List<Pod> pods() {
    return admin.pods().inNamespace(SpotterRelease.NAMESPACE).withLabel(SELECTOR, "operator").list().getItems();
  }

  /** The pod whose leader-election identity ({@code <pod name>-<8 characters>}) is {@code holder}. */
  Pod podOf(String holder) {
    if (holder == null) {
      return null;
    }
    return pods().stream().filter(p -> holder.startsWith(p.getMetadata().getName() + "-")).findFirst().orElse(null);
  }

  @Override
  public String describe() {
    return "the chart's Deployment (" + pods().size() + " pods)";
  }

  @Override
  public String stopLeader() {
    String holder = OperatorReplicas.leaseHolder(admin);
    Pod leader = podOf(holder);
    if (leader == null) {
      throw new IllegalStateException("no operator pod holds the Lease (holder " + holder + ")");
    }
    admin.pods().inNamespace(SpotterRelease.NAMESPACE).withName(leader.getMetadata().getName()).delete();
    return holder;
  }

  @Override
  public String diagnostics() {
    StringBuilder b = new StringBuilder("Lease holder " + OperatorReplicas.leaseHolder(admin) + "\n");
    for (Pod p : pods()) {
      b.append("--- operator pod ").append(p.getMetadata().getName()).append(" on ").append(p.getSpec().getNodeName())
          .append(" (").append(p.getStatus().getPhase()).append(")\n");
      try {
        b.append(admin.pods().inNamespace(SpotterRelease.NAMESPACE).withName(p.getMetadata().getName()).tailingLines(200).getLog());
      } catch (RuntimeException e) {
        b.append("no log: ").append(e.getMessage()).append('\n');
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    // the pods go with the cluster
  }
}
