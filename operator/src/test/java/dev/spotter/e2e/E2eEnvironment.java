package dev.spotter.e2e;

import dev.spotter.api.GpuPool;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the E2E classes share, started once per test run: the two-node k3s cluster with a
 * spot and an on-demand GPU pool, the chart installed by helm-java, and the operator replicas of
 * the chosen mode. Tests work in namespaces of their own and leave both pools usable.
 */
final class E2eEnvironment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(E2eEnvironment.class);

  private final E2eSettings settings;
  private final K3sCluster cluster;
  private final GpuNodes nodes;
  private OperatorReplicas operators;

  private E2eEnvironment(E2eSettings settings, K3sCluster cluster) {
    this.settings = settings;
    this.cluster = cluster;
    this.nodes = new GpuNodes(cluster.admin());
  }

  static E2eEnvironment start(E2eSettings settings) {
    log.info("starting the e2e environment: mode {}, {}", settings.mode(), settings.k3sImage());
    K3sCluster cluster = K3sCluster.start(settings.k3sImage());
    E2eEnvironment env = new E2eEnvironment(settings, cluster);
    try {
      if (settings.mode() == E2eSettings.Mode.IMAGE) {
        cluster.loadImage(settings.imageTar(), settings.image());
      }
      SpotterRelease.install(settings, cluster.kubeconfig(), cluster.admin());
      env.nodes.setUp();
      env.operators = settings.mode() == E2eSettings.Mode.IMAGE
          ? ChartOperators.start(cluster.admin())
          : InProcessOperators.start(cluster);
      log.info("e2e environment ready: {}", env.operators.describe());
      return env;
    } catch (RuntimeException | Error e) {
      env.close();
      throw e;
    }
  }

  E2eSettings settings() {
    return settings;
  }

  K3sCluster cluster() {
    return cluster;
  }

  /** A cluster-admin client. */
  KubernetesClient admin() {
    return cluster.admin();
  }

  GpuNodes nodes() {
    return nodes;
  }

  OperatorReplicas operators() {
    return operators;
  }

  /** Creates a fresh namespace {@code e2e-<purpose>-<random>} holding the workload's scripts. */
  String newNamespace(String purpose) {
    String name = ("e2e-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 5)).toLowerCase(Locale.ROOT);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("e2e.spotter.dev/suite", "true")
        .endMetadata().build();
    admin().namespaces().resource(ns).create();
    Workload.installScripts(admin(), name);
    return name;
  }

  void deleteNamespace(String name) {
    if (name != null) {
      admin().namespaces().withName(name).delete();
    }
  }

  /** Nodes, pools, the suite's jobs, pods and events, and the operators' state: printed when a test fails. */
  String diagnostics() {
    KubernetesClient c = admin();
    StringBuilder b = new StringBuilder("===== e2e diagnostics (mode ").append(settings.mode()).append(")\n");
    try {
      for (Node n : c.nodes().list().getItems()) {
        b.append("node ").append(n.getMetadata().getName())
            .append(" labels[pool]=").append(n.getMetadata().getLabels().get(GpuNodes.POOL_LABEL))
            .append(" taints=").append(n.getSpec().getTaints() == null ? "[]"
                : n.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList())
            .append(" allocatable[gpu]=").append(n.getStatus().getAllocatable().get(GpuNodes.RESOURCE))
            .append('\n');
      }
      for (GpuPool p : c.resources(GpuPool.class).list().getItems()) {
        b.append("gpupool ").append(p.getMetadata().getName()).append(" status ")
            .append(c.getKubernetesSerialization().asJson(p.getStatus())).append('\n');
      }
      for (TrainingJob tj : c.resources(TrainingJob.class).inAnyNamespace().list().getItems()) {
        b.append("trainingjob ").append(tj.getMetadata().getNamespace()).append('/').append(tj.getMetadata().getName())
            .append(" status ").append(c.getKubernetesSerialization().asYaml(tj.getStatus())).append('\n');
      }
      for (Pod p : c.pods().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "spotter").list().getItems()) {
        b.append("pod ").append(p.getMetadata().getNamespace()).append('/').append(p.getMetadata().getName())
            .append(" node=").append(p.getSpec().getNodeName()).append(" phase=").append(p.getStatus().getPhase())
            .append(" deleting=").append(p.getMetadata().getDeletionTimestamp() != null).append('\n');
      }
      c.v1().events().inAnyNamespace().list().getItems().stream()
          .filter(e -> e.getMetadata().getNamespace().startsWith("e2e-"))
          .sorted(Comparator.comparing((Event e) -> String.valueOf(e.getLastTimestamp())))
          .forEach(e -> b.append("event ").append(e.getMetadata().getNamespace()).append(' ')
              .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName()).append(' ')
              .append(e.getReason()).append(": ").append(e.getMessage()).append('\n'));
      b.append(operators == null ? "no operators\n" : operators.diagnostics()).append('\n');
      b.append(cluster.logTail(40));
    } catch (RuntimeException e) {
      b.append("diagnostics incomplete: ").append(e).append('\n');
    }
    return b.toString();
  }

  @Override
  public void close() {
    if (operators != null) {
      operators.close();
    }
    cluster.close();
  }
}
