package dev.spotter.api.validation;

import static dev.spotter.api.validation.Manifest.yaml;
import static dev.spotter.api.validation.SpotterManifests.GPU_POOLS;
import static dev.spotter.api.validation.SpotterManifests.GP_FULL;
import static dev.spotter.api.validation.SpotterManifests.GP_MINIMAL;
import static dev.spotter.api.validation.SpotterManifests.IJ_FULL;
import static dev.spotter.api.validation.SpotterManifests.IJ_MINIMAL;
import static dev.spotter.api.validation.SpotterManifests.INFERENCE_JOBS;
import static dev.spotter.api.validation.SpotterManifests.TJ_FULL;
import static dev.spotter.api.validation.SpotterManifests.TJ_MINIMAL;
import static dev.spotter.api.validation.SpotterManifests.TRAINING_JOBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Admission of the committed CRDs: every invalid manifest below is rejected with the error a user
 * would see from kubectl, naming the field and what to fix; the valid ones are admitted.
 */
class CrdValidationTest {
  private static final String TJ_IMMUTABLE_WORKERS = "workers is immutable: create a new TrainingJob to change the gang size";

  static Stream<Arguments> rejectedOnCreate() {
    return Stream.of(
        // TrainingJob: schema
        row("tj workers 0", TRAINING_JOBS, TJ_MINIMAL.with("spec.workers", 0),
            "spec.workers: Invalid value: 0: spec.workers in body should be greater than or equal to 1"),
        row("tj gpusPerWorker 17", TRAINING_JOBS, TJ_FULL.with("spec.gpusPerWorker", 17),
            "spec.gpusPerWorker: Invalid value: 17: spec.gpusPerWorker in body should be less than or equal to 16"),
        row("tj workers not a number", TRAINING_JOBS, TJ_MINIMAL.with("spec.workers", "four"),
            "spec.workers: Invalid value: \"string\": spec.workers in body must be of type integer: \"string\""),
        row("tj unknown policy", TRAINING_JOBS, TJ_FULL.with("spec.capacity.policy", "Cheapest"),
            "spec.capacity.policy: Unsupported value: \"Cheapest\": supported values: \"OnDemandOnly\", \"SpotOnly\", \"SpotPreferred\""),
        row("tj deadline not RFC 3339", TRAINING_JOBS, TJ_FULL.with("spec.capacity.deadline", "next friday"),
            "spec.capacity.deadline: Invalid value: \"next friday\": spec.capacity.deadline in body should match"
                + " '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'"),
        row("tj cpu not a quantity", TRAINING_JOBS, TJ_FULL.with("spec.cpu", "2 cores"),
            "spec.cpu: Invalid value: \"2 cores\": spec.cpu in body should match '^([0-9]+(\\.[0-9]+)?|[0-9]+m)$'"),
        row("tj memory in GB", TRAINING_JOBS, TJ_FULL.with("spec.memory", "64GB"),
            "spec.memory: Invalid value: \"64GB\": spec.memory in body should match '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$'"),
        row("tj without image", TRAINING_JOBS, TJ_FULL.without("spec.image"), "spec.image: Required value"),
        row("tj empty image", TRAINING_JOBS, TJ_MINIMAL.with("spec.image", ""),
            "spec.image: Invalid value: \"\": spec.image in body should be at least 1 chars long"),
        row("tj maxRestarts 101", TRAINING_JOBS, TJ_FULL.with("spec.maxRestarts", 101),
            "spec.maxRestarts: Invalid value: 101: spec.maxRestarts in body should be less than or equal to 100"),
        row("tj maxSpotWaitSeconds negative", TRAINING_JOBS, TJ_FULL.with("spec.capacity.maxSpotWaitSeconds", -1),
            "spec.capacity.maxSpotWaitSeconds: Invalid value: -1: spec.capacity.maxSpotWaitSeconds in body should be greater than or equal to 0"),
        row("tj checkpoint trigger unknown", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.trigger", "Email"),
            "spec.checkpoint.trigger: Unsupported value: \"Email\": supported values: \"Exec\", \"Http\", \"Signal\""),
        row("tj checkpoint port 70000", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.port", 70000),
            "spec.checkpoint.port: Invalid value: 70000: spec.checkpoint.port in body should be less than or equal to 65535"),
        row("tj checkpoint timeout 0", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.timeoutSeconds", 0),
            "spec.checkpoint.timeoutSeconds: Invalid value: 0: spec.checkpoint.timeoutSeconds in body should be greater than or equal to 1"),
        row("tj checkpoint claim name", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.storage.persistentVolumeClaim", "Llama_Ckpt"),
            "spec.checkpoint.storage.persistentVolumeClaim: Invalid value: \"Llama_Ckpt\": spec.checkpoint.storage.persistentVolumeClaim"
                + " in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"),
        row("tj name with capitals", TRAINING_JOBS, TJ_MINIMAL.with("metadata.name", "Llama_FT"),
            "metadata.name: Invalid value: \"Llama_FT\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                + " '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        // TrainingJob: CEL
        row("tj env sets SPOTTER_", TRAINING_JOBS, TJ_FULL.with("spec.env[0]", yaml("{name: SPOTTER_ATTEMPT, value: '3'}")),
            "spec.env: Invalid value: \"array\": env must not set SPOTTER_* or MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK: Spotter sets them for every worker"),
        row("tj env sets MASTER_ADDR", TRAINING_JOBS, TJ_MINIMAL.with("spec.env", yaml("[{name: MASTER_ADDR, value: localhost}]")),
            "spec.env: Invalid value: \"array\": env must not set SPOTTER_* or MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK: Spotter sets them for every worker"),
        row("tj Http checkpoint without port", TRAINING_JOBS, TJ_FULL.without("spec.checkpoint.port"),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.trigger Http needs checkpoint.port, the port every worker listens on for POST <path>"),
        row("tj Http is the default trigger", TRAINING_JOBS, TJ_MINIMAL.with("spec.checkpoint", yaml("{timeoutSeconds: 30}")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.trigger Http needs checkpoint.port, the port every worker listens on for POST <path>"),
        row("tj Exec checkpoint without command", TRAINING_JOBS, TJ_MINIMAL.with("spec.checkpoint", yaml("{trigger: Exec}")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.trigger Exec needs checkpoint.command, the command run in every worker"),
        row("tj storage with claim and uri", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.storage.uri", "s3://ckpt/llama"),
            "spec.checkpoint.storage: Invalid value: \"object\": checkpoint.storage needs exactly one of persistentVolumeClaim or uri"),
        row("tj storage with neither", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.storage", yaml("{mountPath: /ckpt}")),
            "spec.checkpoint.storage: Invalid value: \"object\": checkpoint.storage needs exactly one of persistentVolumeClaim or uri"),
        row("tj interval below the default timeout", TRAINING_JOBS,
            TJ_MINIMAL.with("spec.checkpoint", yaml("{trigger: Signal, intervalSeconds: 15}")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.intervalSeconds must be at least checkpoint.timeoutSeconds"),
        row("tj env entry without a name", TRAINING_JOBS, TJ_FULL.with("spec.env[0]", yaml("{value: /cache}")),
            "spec.env: Invalid value: \"array\": every env entry needs a name"),
        row("tj env with value and valueFrom", TRAINING_JOBS,
            TJ_MINIMAL.with("spec.env", yaml("[{name: TOKEN, value: abc, valueFrom: {secretKeyRef: {name: t, key: k}}}]")),
            "spec.env: Invalid value: \"array\": an env entry sets either value or valueFrom, not both"),
        row("tj image with a space", TRAINING_JOBS, TJ_MINIMAL.with("spec.image", "ghcr.io/acme/train: 1.4"),
            "spec.image: Invalid value: \"ghcr.io/acme/train: 1.4\": spec.image in body should match '^[^\\s]+$'"),
        row("tj deadline that is no date", TRAINING_JOBS, TJ_FULL.with("spec.capacity.deadline", "2026-02-30T00:00:00Z"),
            "spec.capacity.deadline: Invalid value: \"string\": {cause} evaluating rule: "
                + "deadline must be a real RFC 3339 time after 2000, for example 2026-12-01T00:00:00Z"),
        row("tj deadline from a zero time", TRAINING_JOBS, TJ_FULL.with("spec.capacity.deadline", "0001-01-01T00:00:00Z"),
            "spec.capacity.deadline: Invalid value: \"string\": deadline must be a real RFC 3339 time after 2000, for example 2026-12-01T00:00:00Z"),
        row("tj port with an Exec checkpoint", TRAINING_JOBS,
            TJ_FULL.with("spec.checkpoint.trigger", "Exec").with("spec.checkpoint.command", List.of("/bin/save")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.port only applies to trigger Http: remove it or set trigger Http"),
        row("tj path with a Signal checkpoint", TRAINING_JOBS, TJ_MINIMAL.with("spec.checkpoint", yaml("{trigger: Signal, path: /save}")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.path only applies to trigger Http: remove it or set trigger Http"),
        row("tj command with an Http checkpoint", TRAINING_JOBS, TJ_FULL.with("spec.checkpoint.command", List.of("/bin/save")),
            "spec.checkpoint: Invalid value: \"object\": checkpoint.command only applies to trigger Exec: remove it or set trigger Exec"),
        row("tj spot wait with SpotOnly", TRAINING_JOBS, TJ_FULL.with("spec.capacity.policy", "SpotOnly"),
            "spec.capacity: Invalid value: \"object\": maxSpotWaitSeconds only applies to policy SpotPreferred:"
                + " SpotOnly never falls back and OnDemandOnly never waits for spot"),
        row("tj expectedDuration in days", TRAINING_JOBS, TJ_FULL.with("spec.capacity.expectedDuration", "2d"),
            "spec.capacity.expectedDuration: Invalid value: \"2d\": spec.capacity.expectedDuration in body should match"
                + " '^([0-9]{1,6}h)?([0-9]{1,6}m)?([0-9]{1,7}s)?$'"),
        row("tj expectedDuration of zero", TRAINING_JOBS, TJ_FULL.with("spec.capacity.expectedDuration", "0s"),
            "spec.capacity.expectedDuration: Invalid value: \"string\": expectedDuration must be between 1m and 8760h,"
                + " written like 48h, 90m or 1h30m"),
        row("tj expectedDuration empty", TRAINING_JOBS, TJ_FULL.with("spec.capacity.expectedDuration", ""),
            "spec.capacity.expectedDuration: Invalid value: \"string\": expectedDuration must be between 1m and 8760h,"
                + " written like 48h, 90m or 1h30m"),
        row("tj expectedDuration without a deadline", TRAINING_JOBS, TJ_MINIMAL.with("spec.capacity", yaml("{expectedDuration: 48h}")),
            "spec.capacity: Invalid value: \"object\": expectedDuration drives the cost policy of SpotPreferred jobs with a deadline:"
                + " set capacity.deadline (and policy SpotPreferred), or drop expectedDuration"),
        row("tj restart overhead without expectedDuration", TRAINING_JOBS,
            TJ_MINIMAL.with("spec.capacity", yaml("{restartOverheadSeconds: 600}")),
            "spec.capacity: Invalid value: \"object\": restartOverheadSeconds is an input of the cost policy:"
                + " set capacity.expectedDuration too, or drop it"),
        row("tj restart overhead over a day", TRAINING_JOBS, TJ_FULL.with("spec.capacity.restartOverheadSeconds", 90000),
            "spec.capacity.restartOverheadSeconds: Invalid value: 90000: spec.capacity.restartOverheadSeconds in body"
                + " should be less than or equal to 86400"),
        row("tj gpuResource with a space", TRAINING_JOBS, TJ_FULL.with("spec.gpuResource", "amd.com/ gpu"),
            "spec.gpuResource: Invalid value: \"amd.com/ gpu\": spec.gpuResource in body should match"
                + " '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'"),
        // InferenceJob: schema
        row("ij spotPercent 101", INFERENCE_JOBS, IJ_FULL.with("spec.capacity.spotPercent", 101),
            "spec.capacity.spotPercent: Invalid value: 101: spec.capacity.spotPercent in body should be less than or equal to 100"),
        row("ij negative onDemandBase", INFERENCE_JOBS, IJ_FULL.with("spec.capacity.onDemandBase", -1),
            "spec.capacity.onDemandBase: Invalid value: -1: spec.capacity.onDemandBase in body should be greater than or equal to 0"),
        row("ij port 0", INFERENCE_JOBS, IJ_FULL.with("spec.port", 0),
            "spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1"),
        row("ij port 65536", INFERENCE_JOBS, IJ_MINIMAL.with("spec.port", 65536),
            "spec.port: Invalid value: 65536: spec.port in body should be less than or equal to 65535"),
        row("ij replicas 1001", INFERENCE_JOBS, IJ_FULL.with("spec.replicas", 1001),
            "spec.replicas: Invalid value: 1001: spec.replicas in body should be less than or equal to 1000"),
        row("ij gpusPerReplica 0", INFERENCE_JOBS, IJ_FULL.with("spec.gpusPerReplica", 0),
            "spec.gpusPerReplica: Invalid value: 0: spec.gpusPerReplica in body should be greater than or equal to 1"),
        row("ij gpusPerReplica 17", INFERENCE_JOBS, IJ_FULL.with("spec.gpusPerReplica", 17),
            "spec.gpusPerReplica: Invalid value: 17: spec.gpusPerReplica in body should be less than or equal to 16"),
        row("ij without image", INFERENCE_JOBS, IJ_FULL.without("spec.image"), "spec.image: Required value"),
        row("ij cpu with a unit", INFERENCE_JOBS, IJ_FULL.with("spec.cpu", "4vcpu"),
            "spec.cpu: Invalid value: \"4vcpu\": spec.cpu in body should match '^([0-9]+(\\.[0-9]+)?|[0-9]+m)$'"),
        row("ij onDemandBase 1001", INFERENCE_JOBS, IJ_FULL.with("spec.capacity.onDemandBase", 1001),
            "spec.capacity.onDemandBase: Invalid value: 1001: spec.capacity.onDemandBase in body should be less than or equal to 1000"),
        row("ij gpuModel ending in a dash", INFERENCE_JOBS, IJ_FULL.with("spec.gpuModel", "NVIDIA-L4-"),
            "spec.gpuModel: Invalid value: \"NVIDIA-L4-\": spec.gpuModel in body should match '^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$'"),
        // InferenceJob: CEL
        row("ij env with an empty name", INFERENCE_JOBS, IJ_FULL.with("spec.env", yaml("[{name: '', value: x}]")),
            "spec.env: Invalid value: \"array\": every env entry needs a name"),
        row("ij env with value and valueFrom", INFERENCE_JOBS,
            IJ_FULL.with("spec.env", yaml("[{name: POD_IP, value: x, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]")),
            "spec.env: Invalid value: \"array\": an env entry sets either value or valueFrom, not both"),
        row("ij onDemandBase above replicas", INFERENCE_JOBS, IJ_FULL.with("spec.replicas", 2).with("spec.capacity.onDemandBase", 3),
            "spec: Invalid value: \"object\": capacity.onDemandBase cannot exceed replicas: lower onDemandBase or raise replicas"),
        row("ij zero replicas with the default base", INFERENCE_JOBS, IJ_MINIMAL.with("spec.replicas", 0).with("spec.capacity", yaml("{spotPercent: 50}")),
            "spec: Invalid value: \"object\": capacity.onDemandBase cannot exceed replicas: lower onDemandBase or raise replicas"),
        row("ij env sets SPOTTER_", INFERENCE_JOBS, IJ_FULL.with("spec.env", yaml("[{name: SPOTTER_CAPACITY_TYPE, value: Spot}]")),
            "spec.env: Invalid value: \"array\": env must not set SPOTTER_* variables: Spotter sets them"),
        row("ij gpuResource with a capital domain", INFERENCE_JOBS, IJ_FULL.with("spec.gpuResource", "Huawei.com/Ascend910"),
            "spec.gpuResource: Invalid value: \"Huawei.com/Ascend910\": spec.gpuResource in body should match"
                + " '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'"),
        // GpuPool: schema
        row("gp without nodeSelector", GPU_POOLS, GP_FULL.without("spec.nodeSelector"), "spec.nodeSelector: Required value"),
        row("gp negative price", GPU_POOLS, GP_FULL.with("spec.pricePerGpuHour", -0.5),
            "spec.pricePerGpuHour: Invalid value: -0.5: spec.pricePerGpuHour in body should be greater than or equal to 0"),
        row("gp unknown capacity type", GPU_POOLS, GP_FULL.with("spec.capacityType", "Preemptible"),
            "spec.capacityType: Unsupported value: \"Preemptible\": supported values: \"OnDemand\", \"Spot\""),
        row("gp zone with capitals", GPU_POOLS, GP_FULL.with("spec.zone", "US-EAST-1A"),
            "spec.zone: Invalid value: \"US-EAST-1A\": spec.zone in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"),
        row("gp taint without effect", GPU_POOLS, GP_FULL.with("spec.taints[0]", yaml("{key: nvidia.com/gpu}")),
            "spec.taints[0].effect: Required value"),
        row("gp namespaced", GPU_POOLS, GP_MINIMAL.with("metadata.namespace", "ml"), "metadata.namespace: Forbidden: not allowed on this type"),
        row("gp taint key with two slashes", GPU_POOLS, GP_FULL.with("spec.taints[0].key", "nvidia.com/gpu/mig"),
            "spec.taints[0].key: Invalid value: \"nvidia.com/gpu/mig\": spec.taints[0].key in body should match"
                + " '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'"),
        // GpuPool: CEL
        row("gp taint repeated", GPU_POOLS, GP_FULL.with("spec.taints[1]", yaml("{key: nvidia.com/gpu, value: present, effect: NoSchedule}")),
            "spec.taints: Invalid value: \"array\": taints must not repeat a key with the same effect, as on a Node"),
        row("gp empty nodeSelector", GPU_POOLS, GP_FULL.with("spec.nodeSelector", Map.of()),
            "spec.nodeSelector: Invalid value: \"object\": nodeSelector needs at least one label, else the pool would take every node"),
        row("gp bad taint effect", GPU_POOLS, GP_FULL.with("spec.taints[1].effect", "NoScheduleEver"),
            "spec.taints[1].effect: Invalid value: \"string\": taint effect must be NoSchedule, PreferNoSchedule or NoExecute"));
  }

  static Stream<Arguments> rejectedOnUpdate() {
    return Stream.of(
        row("tj workers changed", TRAINING_JOBS, TJ_FULL, TJ_FULL.with("spec.workers", 8),
            "spec.workers: Invalid value: \"integer\": " + TJ_IMMUTABLE_WORKERS),
        row("tj workers set where it was defaulted", TRAINING_JOBS, TJ_MINIMAL, TJ_MINIMAL.with("spec.workers", 2),
            "spec.workers: Invalid value: \"integer\": " + TJ_IMMUTABLE_WORKERS),
        row("tj gpusPerWorker changed", TRAINING_JOBS, TJ_FULL, TJ_FULL.with("spec.gpusPerWorker", 4),
            "spec.gpusPerWorker: Invalid value: \"integer\": gpusPerWorker is immutable: create a new TrainingJob to change it"),
        row("gp capacity type changed", GPU_POOLS, GP_FULL, GP_FULL.with("spec.capacityType", "OnDemand"),
            "spec.capacityType: Invalid value: \"string\": capacityType is immutable: a node's purchase option does not change;"
                + " create another GpuPool for the other capacity type"));
  }

  static Stream<Arguments> admitted() {
    return Stream.of(
        Arguments.of("tj minimal", TRAINING_JOBS, TJ_MINIMAL),
        Arguments.of("tj full", TRAINING_JOBS, TJ_FULL),
        Arguments.of("tj Exec checkpoint to a bucket", TRAINING_JOBS, TJ_MINIMAL.with("spec.checkpoint",
            yaml("{trigger: Exec, command: [python, ckpt.py], storage: {uri: 'gs://ckpt/run-7'}}"))),
        Arguments.of("tj OnDemandOnly with a deadline", TRAINING_JOBS, TJ_FULL.with("spec.capacity", yaml("{policy: OnDemandOnly, deadline: '2026-06-30T18:00:00+02:00'}"))),
        Arguments.of("tj on Ascend", TRAINING_JOBS, TJ_FULL.with("spec.gpuResource", "huawei.com/Ascend910").with("spec.gpuModel", "huawei-Ascend910")),
        Arguments.of("ij on AMD", INFERENCE_JOBS, IJ_FULL.with("spec.gpuResource", "amd.com/gpu")),
        Arguments.of("ij minimal", INFERENCE_JOBS, IJ_MINIMAL),
        Arguments.of("ij full", INFERENCE_JOBS, IJ_FULL),
        Arguments.of("ij scaled to zero", INFERENCE_JOBS, IJ_FULL.with("spec.replicas", 0).with("spec.capacity.onDemandBase", 0)),
        Arguments.of("gp minimal", GPU_POOLS, GP_MINIMAL),
        Arguments.of("gp full", GPU_POOLS, GP_FULL));
  }

  private static Arguments row(String name, CrdAdmission crd, Manifest manifest, String expected) {
    return Arguments.of(name, crd, manifest, expected);
  }

  private static Arguments row(String name, CrdAdmission crd, Manifest old, Manifest manifest, String expected) {
    return Arguments.of(name, crd, old, manifest, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnCreate")
  void invalidManifestIsRejectedOnCreateSayingWhatToFix(String name, CrdAdmission crd, Manifest manifest, String expected) {
    assertRejectedWith(crd.create(manifest.yaml()), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnUpdate")
  void invalidChangeIsRejectedOnUpdateSayingWhatToFix(String name, CrdAdmission crd, Manifest old, Manifest manifest, String expected) {
    assertTrue(crd.create(manifest.yaml()).allowed(), "the new object alone is valid: only the change is wrong");
    assertRejectedWith(crd.update(old.yaml(), manifest.yaml()), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("admitted")
  void validManifestIsAdmitted(String name, CrdAdmission crd, Manifest manifest) {
    AdmissionResult result = crd.create(manifest.yaml());
    assertTrue(result.allowed(), result.toString());
    assertTrue(result.warnings().isEmpty(), result.warnings().toString());
  }

  @Test
  void minimalTrainingJobGetsTheDocumentedDefaults() {
    AdmissionResult result = TRAINING_JOBS.create(TJ_MINIMAL.yaml());
    assertEquals(1, result.object().at("/spec/workers").asInt());
    assertEquals(1, result.object().at("/spec/gpusPerWorker").asInt());
    assertEquals(3, result.object().at("/spec/maxRestarts").asInt());
  }

  @Test
  void updateOfMutableFieldsIsAdmitted() {
    Manifest changed = TJ_FULL
        .with("spec.maxRestarts", 5)
        .with("spec.capacity", yaml("{policy: OnDemandOnly, deadline: '2026-11-01T00:00:00Z'}"))
        .with("spec.checkpoint.intervalSeconds", 600)
        .with("spec.env", yaml("[{name: HF_HOME, value: /data}]"));
    assertTrue(TRAINING_JOBS.update(TJ_FULL.yaml(), changed.yaml()).allowed());
    assertTrue(INFERENCE_JOBS.update(IJ_FULL.yaml(), IJ_FULL.with("spec.replicas", 4).with("spec.capacity.spotPercent", 50).yaml()).allowed());
    assertTrue(GPU_POOLS.update(GP_FULL.yaml(), GP_FULL.with("spec.pricePerGpuHour", 2.1).with("spec.taints", List.of()).yaml()).allowed());
    assertTrue(GPU_POOLS.update(GP_MINIMAL.yaml(), GP_MINIMAL.with("spec.capacityType", "Spot").yaml()).allowed(),
        "declaring the capacity type of a pool that had it detected is not a change of it");
  }

  @Test
  void unknownFieldIsRejectedAsKubectlDoesByDefault() {
    AdmissionResult result = TRAINING_JOBS.create(TJ_MINIMAL.with("spec.gpus", 8).yaml());
    assertEquals(400, result.status());
    assertTrue(result.message().endsWith("strict decoding error: unknown field \"spec.gpus\""), result.message());
  }

  @Test
  void statusInAManifestIsIgnored() {
    AdmissionResult result = TRAINING_JOBS.create(TJ_MINIMAL.with("status.phase", "Succeeded").yaml());
    assertTrue(result.allowed(), result.toString());
    assertFalse(result.object().has("status"));
  }

  @Test
  void everyRuleInTheCommittedCrdsCompilesAndIsProvenToRejectByARow() throws IOException {
    List<String> expectations = Stream.concat(rejectedOnCreate(), rejectedOnUpdate())
        .map(a -> (String) a.get()[a.get().length - 1])
        .toList();
    int rules = 0;
    for (String crd : List.of("trainingjobs", "inferencejobs", "gpupools")) {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "crds", crd + ".spotter.dev.yaml").toFile());
      for (JsonNode validations : tree.findValues("x-kubernetes-validations")) {
        for (JsonNode rule : validations) {
          String message = rule.path("message").asText();
          rules++;
          assertTrue(expectations.stream().anyMatch(e -> e.contains(message)), "no row shows the rule rejecting: " + message);
        }
      }
    }
    assertEquals(rules, TRAINING_JOBS.ruleCount() + INFERENCE_JOBS.ruleCount() + GPU_POOLS.ruleCount());
  }

  /** Asserts the exact error line; {cause} stands for an evaluation error whose wording is the CEL engine's own. */
  private static void assertRejectedWith(AdmissionResult result, String expected) {
    assertFalse(result.allowed(), "expected a rejection with\n  " + expected + "\nbut it was admitted");
    assertEquals(422, result.status(), result.message());
    String[] parts = expected.split("\\{cause}", -1);
    assertTrue(result.errors().stream().map(FieldError::toString)
            .anyMatch(line -> parts.length == 1 ? line.equals(expected) : line.startsWith(parts[0]) && line.endsWith(parts[1])),
        "expected the error\n  " + expected + "\namong\n" + result.errorLines());
  }
}
