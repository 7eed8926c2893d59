package dev.spotter.api.validation;

import java.nio.file.Path;

/** The committed CRDs, loaded once, and minimal and full valid manifests of each kind. */
final class SpotterManifests {
  private static final Path CRDS = Path.of("..", "crds");

  static final CrdAdmission TRAINING_JOBS = CrdAdmission.load(CRDS.resolve("trainingjobs.spotter.dev.yaml"));
  static final CrdAdmission INFERENCE_JOBS = CrdAdmission.load(CRDS.resolve("inferencejobs.spotter.dev.yaml"));
  static final CrdAdmission GPU_POOLS = CrdAdmission.load(CRDS.resolve("gpupools.spotter.dev.yaml"));

  static final Manifest TJ_MINIMAL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: TrainingJob
      metadata: {name: llama-ft, namespace: ml}
      spec:
        image: ghcr.io/acme/train:1.4
      """);

  static final Manifest TJ_FULL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: TrainingJob
      metadata: {name: llama-ft, namespace: ml}
      spec:
        image: ghcr.io/acme/train:1.4
        command: [torchrun]
        args: [--nproc-per-node=8, train.py]
        env:
          - {name: HF_HOME, value: /cache}
          - name: WANDB_API_KEY
            valueFrom: {secretKeyRef: {name: wandb, key: api-key}}
        workers: 4
        gpusPerWorker: 8
        gpuModel: NVIDIA-H100-80GB-HBM3
        cpu: "32"
        memory: 512Gi
        capacity:
          policy: SpotPreferred
          deadline: "2026-12-01T00:00:00Z"
          maxSpotWaitSeconds: 900
          expectedDuration: 48h
          restartOverheadSeconds: 600
        checkpoint:
          trigger: Http
          port: 8471
          path: /checkpoint
          timeoutSeconds: 25
          intervalSeconds: 1800
          storage: {persistentVolumeClaim: llama-ckpt, mountPath: /ckpt}
          deleteWithJob: false
        maxRestarts: 2
      """);

  static final Manifest IJ_MINIMAL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: InferenceJob
      metadata: {name: chat, namespace: serving}
      spec:
        image: ghcr.io/acme/serve:2.0
      """);

  static final Manifest IJ_FULL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: InferenceJob
      metadata: {name: chat, namespace: serving}
      spec:
        image: ghcr.io/acme/serve:2.0
        command: [vllm, serve]
        args: [meta-llama/Llama-3-8B]
        env:
          - {name: VLLM_PORT, value: "8000"}
        port: 8000
        replicas: 10
        gpusPerReplica: 2
        gpuModel: NVIDIA-L4
        cpu: 4500m
        memory: "48Gi"
        capacity: {spotPercent: 80, onDemandBase: 1}
      """);

  static final Manifest GP_MINIMAL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: GpuPool
      metadata: {name: h100-spot}
      spec:
        nodeSelector: {karpenter.sh/nodepool: h100-spot}
      """);

  static final Manifest GP_FULL = Manifest.of("""
      apiVersion: spotter.dev/v1alpha1
      kind: GpuPool
      metadata: {name: h100-spot-use1a}
      spec:
        nodeSelector: {karpenter.sh/nodepool: h100, topology.kubernetes.io/zone: us-east-1a}
        capacityType: Spot
        gpuModel: NVIDIA-H100-80GB-HBM3
        zone: us-east-1a
        pricePerGpuHour: 2.45
        gpuResource: nvidia.com/gpu
        taints:
          - {key: nvidia.com/gpu, effect: NoSchedule}
          - {key: karpenter.sh/capacity-type, value: spot, effect: NoSchedule}
        namespaceSelector:
          matchLabels: {spotter.dev/gpu-access: "true"}
      """);

  private SpotterManifests() {}
}
