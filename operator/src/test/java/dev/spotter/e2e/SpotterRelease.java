package dev.spotter.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chart helm/spotter installed into the cluster with helm-java (Helm's own Go code, no helm
 * binary): its CRDs from crds/, the ServiceAccount, ClusterRole, leader-election Role, bindings
 * and the Deployment.
 */
final class SpotterRelease {
  static final String NAMESPACE = "spotter-system";
  /** The release name; the chart's full name is the same, so every object is called "spotter". */
  static final String NAME = "spotter";
  static final String SERVICE_ACCOUNT = "spotter";
  static final String LEASE = "spotter-operator";
  /** Never pulled, never run: in mode inprocess the Deployment stays at zero replicas. */
  private static final String UNUSED_IMAGE = "spotter-e2e-not-pulled";

  private SpotterRelease() {}

  /** The user name the API server gives the chart's ServiceAccount. */
  static String serviceAccountUser() {
    return "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
  }

  /** The groups of a token of that ServiceAccount. */
  static String[] serviceAccountGroups() {
    return new String[] {"system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated"};
  }

  /**
   * The values the suite installs the chart with. Both modes: Exec checkpoints allowed (the
   * suite's workload uses them: a test JVM cannot reach pod IPs for the Http trigger), waiting jobs
   * rechecked every 5 s, images never pulled. Mode image: two replicas of the built image. Mode
   * inprocess: one replica of an image that does not exist, scaled to zero after the install; its
   * configuration (leader election on) is taken over by in-process operators.
   */
  static Map<String, Object> values(E2eSettings settings) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("rbac.checkpointExec", true);
    v.put("operator.config.pendingRecheckSeconds", 5);
    v.put("image.pullPolicy", "Never");
    if (settings.mode() == E2eSettings.Mode.IMAGE) {
      v.put("image.repository", settings.imageRepository());
      v.put("image.tag", settings.imageTag());
      v.put("operator.replicas", 2);
    } else {
      v.put("image.repository", UNUSED_IMAGE);
      v.put("operator.replicas", 1);
      v.put("operator.config.leaderElection", true);
    }
    return v;
  }

  /** Installs the chart with {@link #values}; in mode image waits for the operator pods. */
  static Release install(E2eSettings settings, String kubeconfig, KubernetesClient admin) {
    InstallCommand cmd = new Helm(settings.chart()).install()
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .createNamespace()
        .withKubeConfigContents(kubeconfig);
    values(settings).forEach(cmd::set);
    if (settings.mode() == E2eSettings.Mode.IMAGE) {
      cmd.waitReady().withTimeout(300);
    }
    Release release = cmd.call();
    if (settings.mode() == E2eSettings.Mode.INPROCESS) {
      admin.apps().deployments().inNamespace(NAMESPACE).withName(NAME).scale(0);
    }
    return release;
  }

  /** The SPOTTER_* variables the chart gives the operator container: its whole configuration. */
  static Map<String, String> operatorEnvironment(KubernetesClient admin) {
    return operatorEnvironment(admin.apps().deployments().inNamespace(NAMESPACE).withName(NAME).require());
  }

  static Map<String, String> operatorEnvironment(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getName().startsWith("SPOTTER_") && e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }
}
