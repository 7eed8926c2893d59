package dev.spotter.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The suite's tiny real workload: busybox running the shell scripts train.sh and checkpoint.sh
 * (test resources next to this class) from a ConfigMap. TrainingJob has no volumes, so the
 * scripts reach the container as environment variables from the ConfigMap and run through
 * {@code sh -c 'eval "$SCRIPT"'}; the Exec checkpoint command sees the same variables.
 */
final class Workload {
  static final String IMAGE = "busybox:1.36";
  static final String CONFIG_MAP = "e2e-workload";

  private final String name;
  private final String namespace;
  private int workers = 1;
  private int gpusPerWorker = 1;
  private int steps = 30;
  private boolean execCheckpoints;
  private int maxRestarts;
  private String gpuResource;

  private Workload(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  /** Creates the scripts' ConfigMap in {@code namespace}; once per namespace, before any job. */
  static void installScripts(KubernetesClient client, String namespace) {
    ConfigMap cm = new ConfigMapBuilder()
        .withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace).endMetadata()
        .addToData("train.sh", script("train.sh"))
        .addToData("checkpoint.sh", script("checkpoint.sh"))
        .build();
    client.configMaps().inNamespace(namespace).resource(cm).create();
  }

  static String script(String file) {
    try (InputStream in = Workload.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Workload job(String name, String namespace) {
    return new Workload(name, namespace);
  }

  Workload workers(int n) {
    this.workers = n;
    return this;
  }

  Workload gpus(int n) {
    this.gpusPerWorker = n;
    return this;
  }

  /** Seconds of work: one step a second. */
  Workload steps(int n) {
    this.steps = n;
    return this;
  }

  /** Checkpoint trigger Exec running checkpoint.sh in every worker. */
  Workload execCheckpoints() {
    this.execCheckpoints = true;
    return this;
  }

  Workload maxRestarts(int n) {
    this.maxRestarts = n;
    return this;
  }

  /** An accelerator resource no node offers: the job is admitted by the API server but never placed. */
  Workload gpuResource(String resource) {
    this.gpuResource = resource;
    return this;
  }

  /** The manifest, as a user would write it for kubectl. */
  String yaml() {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: spotter.dev/v1alpha1\n")
        .append("kind: TrainingJob\n")
        .append("metadata: {name: ").append(name).append(", namespace: ").append(namespace).append("}\n")
        .append("spec:\n")
        .append("  image: ").append(IMAGE).append('\n')
        .append("  command: [sh, -c, 'eval \"$TRAIN_SCRIPT\"']\n")
        .append("  env:\n")
        .append("    - {name: TOTAL_STEPS, value: \"").append(steps).append("\"}\n")
        .append("    - name: TRAIN_SCRIPT\n")
        .append("      valueFrom: {configMapKeyRef: {name: ").append(CONFIG_MAP).append(", key: train.sh}}\n")
        .append("    - name: CHECKPOINT_SCRIPT\n")
        .append("      valueFrom: {configMapKeyRef: {name: ").append(CONFIG_MAP).append(", key: checkpoint.sh}}\n")
        .append("  workers: ").append(workers).append('\n')
        .append("  gpusPerWorker: ").append(gpusPerWorker).append('\n');
    if (gpuResource != null) {
      y.append("  gpuResource: ").append(gpuResource).append('\n');
    }
    y.append("  capacity: {policy: SpotPreferred}\n");
    if (execCheckpoints) {
      y.append("  checkpoint:\n")
          .append("    trigger: Exec\n")
          .append("    command: [sh, -c, 'eval \"$CHECKPOINT_SCRIPT\"']\n")
          .append("    timeoutSeconds: 20\n");
    }
    y.append("  maxRestarts: ").append(maxRestarts).append('\n');
    return y.toString();
  }

  /** The manifest as an object the client can send unchanged (no typed defaults added). */
  GenericKubernetesResource resource(KubernetesClient client) {
    return client.getKubernetesSerialization().unmarshal(yaml(), GenericKubernetesResource.class);
  }
}
