package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointRef;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.InferenceJobSpec;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.scheduling.PoolInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the pods and services Spotter creates for its jobs. */
public final class PodFactory {
  public static final int MASTER_PORT = 29500;

  private PodFactory() {}

  public static String workerPodName(TrainingJob job, int attempt, int rank) {
    return job.getMetadata().getName() + "-" + attempt + "-" + rank;
  }

  /** Hostname of a rank inside the job's headless service: stable across attempts. */
  public static String workerHostname(TrainingJob job, int rank) {
    String h = job.getMetadata().getName() + "-" + rank;
    return h.length() <= 63 ? h : null;
  }

  public static Pod trainingWorker(TrainingJob job, int attempt, int rank, PoolInfo pool, String node, CheckpointRef resumeFrom) {
    TrainingJobSpec spec = job.getSpec();
    String name = job.getMetadata().getName();
    String ns = job.getMetadata().getNamespace();
    List<EnvVar> env = new ArrayList<>(spec.getEnv() == null ? List.of() : spec.getEnv());
    env.add(env("SPOTTER_JOB", name));
    env.add(env("SPOTTER_NAMESPACE", ns));
    env.add(env("SPOTTER_ATTEMPT", Integer.toString(attempt)));
    env.add(env("SPOTTER_CAPACITY_TYPE", pool.capacityType().name()));
    env.add(env("SPOTTER_POOL", pool.name()));
    env.add(env("SPOTTER_RANK", Integer.toString(rank)));
    env.add(env("RANK", Integer.toString(rank)));
    env.add(env("WORLD_SIZE", Integer.toString(spec.workers())));
    env.add(env("LOCAL_WORLD_SIZE", Integer.toString(spec.gpusPerWorker())));
    String master = spec.workers() == 1 || workerHostname(job, 0) == null
        ? "localhost" : workerHostname(job, 0) + "." + name + "." + ns + ".svc";
    env.add(env("MASTER_ADDR", master));
    env.add(env("MASTER_PORT", Integer.toString(MASTER_PORT)));
    CheckpointSpec cp = spec.getCheckpoint();
    if (cp != null) {
      env.add(env("SPOTTER_CHECKPOINT_TRIGGER", cp.getTrigger().name()));
      if (cp.getPort() != null) {
        env.add(env("SPOTTER_CHECKPOINT_PORT", cp.getPort().toString()));
        env.add(env("SPOTTER_CHECKPOINT_PATH", cp.getPath() == null ? "/checkpoint" : cp.getPath()));
      }
      if (cp.getStorage() != null && cp.getStorage().getUri() != null) {
        env.add(env("SPOTTER_CHECKPOINT_URI", cp.getStorage().getUri()));
      }
      if (cp.getStorage() != null && cp.getStorage().getPersistentVolumeClaim() != null) {
        env.add(env("SPOTTER_CHECKPOINT_DIR", cp.getStorage().getMountPath()));
      }
    }
    if (resumeFrom != null && resumeFrom.getId() != null) {
      env.add(env("SPOTTER_RESUME_FROM", resumeFrom.getId()));
      if (resumeFrom.getStep() != null) {
        env.add(env("SPOTTER_RESUME_STEP", resumeFrom.getStep().toString()));
      }
    }
    ContainerBuilder c = new ContainerBuilder()
        .withName("worker")
        .withImage(spec.getImage())
        .withCommand(spec.getCommand())
        .withArgs(spec.getArgs())
        .withEnv(env)
        .withNewResources()
        .withLimits(gpuLimits(pool, spec.gpusPerWorker()))
        .withRequests(requests(spec.getCpu(), spec.getMemory()))
        .endResources();
    if (cp != null && cp.getPort() != null) {
      c.addNewPort().withName("checkpoint").withContainerPort(cp.getPort()).endPort();
    }
    if (spec.workers() > 1) {
      c.addNewPort().withName("rendezvous").withContainerPort(MASTER_PORT).endPort();
    }
    PodBuilder b = new PodBuilder()
        .withNewMetadata()
        .withName(workerPodName(job, attempt, rank))
        .withNamespace(ns)
        .withLabels(labels(job, "TrainingJob", pool))
        .addToLabels(Api.LABEL_RANK, Integer.toString(rank))
        .addToLabels(Api.LABEL_ATTEMPT, Integer.toString(attempt))
        .addToAnnotations(Api.ANNOTATION_NODE, node)
        .withOwnerReferences(owner(job))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(spec.getServiceAccountName())
        .withAutomountServiceAccountToken(spec.getAutomountServiceAccountToken())
        .withHostname(workerHostname(job, rank))
        .withSubdomain(spec.workers() > 1 ? name : null)
        .withTolerations(tolerations(pool))
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().withMatchExpressions(nodeTerms(pool, node)).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .withContainers(c.build())
        .endSpec();
    if (cp != null && cp.getTrigger() == dev.spotter.api.CheckpointTrigger.Signal) {
      b.editSpec().withTerminationGracePeriodSeconds(cp.getTimeoutSeconds().longValue()).endSpec();
    }
    if (cp != null && cp.getStorage() != null && cp.getStorage().getPersistentVolumeClaim() != null) {
      b.editSpec()
          .addNewVolume().withName("checkpoints").withNewPersistentVolumeClaim()
          .withClaimName(cp.getStorage().getPersistentVolumeClaim()).endPersistentVolumeClaim().endVolume()
          .editFirstContainer().addNewVolumeMount().withName("checkpoints")
          .withMountPath(cp.getStorage().getMountPath()).endVolumeMount().endContainer()
          .endSpec();
    }
    return b.build();
  }

  /** The headless service that gives every rank a stable DNS name. */
  public static Service trainingService(TrainingJob job) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName())
        .withNamespace(job.getMetadata().getNamespace())
        .addToLabels(Api.LABEL_JOB, job.getMetadata().getName())
        .addToLabels(Api.LABEL_MANAGED_BY, Api.MANAGED_BY)
        .withOwnerReferences(owner(job))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .addToSelector(Api.LABEL_JOB, job.getMetadata().getName())
        .addToSelector(Api.LABEL_KIND, "TrainingJob")
        .addNewPort().withName("rendezvous").withPort(MASTER_PORT).endPort()
        .endSpec()
        .build();
  }

  public static String replicaPodName(InferenceJob job, int index) {
    return job.getMetadata().getName() + "-" + index;
  }

  public static Pod inferenceReplica(InferenceJob job, int index, int generation, PoolInfo pool, String node) {
    InferenceJobSpec spec = job.getSpec();
    List<EnvVar> env = new ArrayList<>(spec.getEnv() == null ? List.of() : spec.getEnv());
    env.add(env("SPOTTER_JOB", job.getMetadata().getName()));
    env.add(env("SPOTTER_NAMESPACE", job.getMetadata().getNamespace()));
    env.add(env("SPOTTER_REPLICA", Integer.toString(index)));
    env.add(env("SPOTTER_CAPACITY_TYPE", pool.capacityType().name()));
    env.add(env("SPOTTER_POOL", pool.name()));
    env.add(env("SPOTTER_PORT", Integer.toString(spec.port())));
    Container c = new ContainerBuilder()
        .withName("server")
        .withImage(spec.getImage())
        .withCommand(spec.getCommand())
        .withArgs(spec.getArgs())
        .withEnv(env)
        .addNewPort().withName("serve").withContainerPort(spec.port()).endPort()
        .withNewResources()
        .withLimits(gpuLimits(pool, spec.gpusPerReplica()))
        .withRequests(requests(spec.getCpu(), spec.getMemory()))
        .endResources()
        .build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(replicaPodName(job, index) + "-" + generation)
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels(job, "InferenceJob", pool))
        .addToLabels(Api.LABEL_RANK, Integer.toString(index))
        .addToLabels(Api.LABEL_ATTEMPT, Integer.toString(generation))
        .addToAnnotations(Api.ANNOTATION_NODE, node)
        .withOwnerReferences(owner(job))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Always")
        .withServiceAccountName(spec.getServiceAccountName())
        .withAutomountServiceAccountToken(spec.getAutomountServiceAccountToken())
        .withTolerations(tolerations(pool))
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().withMatchExpressions(nodeTerms(pool, node)).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .withContainers(c)
        .endSpec()
        .build();
  }

  /** The service clients use to reach the replicas. */
  public static Service inferenceService(InferenceJob job) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName())
        .withNamespace(job.getMetadata().getNamespace())
        .addToLabels(Api.LABEL_JOB, job.getMetadata().getName())
        .addToLabels(Api.LABEL_MANAGED_BY, Api.MANAGED_BY)
        .withOwnerReferences(owner(job))
        .endMetadata()
        .withNewSpec()
        .addToSelector(Api.LABEL_JOB, job.getMetadata().getName())
        .addToSelector(Api.LABEL_KIND, "InferenceJob")
        .addNewPort().withName("serve").withPort(job.getSpec().port()).withNewTargetPort(job.getSpec().port()).endPort()
        .endSpec()
        .build();
  }

  private static Map<String, String> labels(HasMetadata job, String kind, PoolInfo pool) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(Api.LABEL_JOB, job.getMetadata().getName());
    l.put(Api.LABEL_KIND, kind);
    l.put(Api.LABEL_POOL, pool.name());
    l.put(Api.LABEL_CAPACITY_TYPE, pool.capacityType() == CapacityType.Spot ? "spot" : "on-demand");
    l.put(Api.LABEL_MANAGED_BY, Api.MANAGED_BY);
    return l;
  }

  static OwnerReference owner(HasMetadata job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(job.getApiVersion())
        .withKind(job.getKind())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static List<NodeSelectorRequirement> nodeTerms(PoolInfo pool, String node) {
    List<NodeSelectorRequirement> terms = new ArrayList<>();
    terms.add(new NodeSelectorRequirement("kubernetes.io/hostname", "In", List.of(node)));
    pool.nodeSelector().forEach((k, v) -> terms.add(new NodeSelectorRequirement(k, "In", List.of(v))));
    return terms;
  }

  private static List<Toleration> tolerations(PoolInfo pool) {
    List<Toleration> out = new ArrayList<>();
    for (PoolInfo.Taint t : pool.taints()) {
      out.add(new Toleration(t.effect(), t.key(), t.value() == null ? "Exists" : "Equal", null, t.value()));
    }
    return out;
  }

  private static Map<String, Quantity> gpuLimits(PoolInfo pool, int gpus) {
    return Map.of(pool.gpuResource(), new Quantity(Integer.toString(gpus)));
  }

  private static Map<String, Quantity> requests(String cpu, String memory) {
    Map<String, Quantity> r = new LinkedHashMap<>();
    if (cpu != null) {
      r.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      r.put("memory", new Quantity(memory));
    }
    return r;
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
