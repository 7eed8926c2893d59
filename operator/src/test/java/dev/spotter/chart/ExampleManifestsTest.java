package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.GpuPool;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.validation.AdmissionResult;
import dev.spotter.api.validation.CrdAdmission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object in manifests/examples/ is one a user can apply as it is: Spotter's kinds bind to
 * the Java types without unknown fields and pass the CRDs' schema and CEL rules (kubectl's strict
 * field validation included); other kinds bind to the Kubernetes model. And the examples cover
 * what the README promises.
 */
class ExampleManifestsTest {
  private static final Path EXAMPLES = Path.of("..", "manifests", "examples");
  private static final Path CRDS = Path.of("..", "crds");
  private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of("TrainingJob", TrainingJob.class, "InferenceJob", InferenceJob.class, "GpuPool", GpuPool.class);
  private static final Map<String, CrdAdmission> ADMISSION = Map.of(
      "TrainingJob", CrdAdmission.load(CRDS.resolve("trainingjobs.spotter.dev.yaml")),
      "InferenceJob", CrdAdmission.load(CRDS.resolve("inferencejobs.spotter.dev.yaml")),
      "GpuPool", CrdAdmission.load(CRDS.resolve("gpupools.spotter.dev.yaml")));

  record Example(String file, int index, ObjectNode object) {
    @Override
    public String toString() {
      return file + "#" + index + " " + object.path("kind").asText() + " " + object.at("/metadata/name").asText();
    }
  }

  static List<Example> examples() throws IOException {
    List<Example> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<ObjectNode> docs = SpotterChart.parseAll(Files.readString(file));
        for (int i = 0; i < docs.size(); i++) {
          all.add(new Example(file.getFileName().toString(), i, docs.get(i)));
        }
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleBindsAndIsAdmitted(Example example) throws IOException {
    String kind = example.object().path("kind").asText();
    String yaml = SpotterChart.YAML.writeValueAsString(example.object());
    if (example.object().path("apiVersion").asText().startsWith("spotter.dev/")) {
      HasMetadata bound = STRICT.readValue(yaml, TYPES.get(kind));
      assertThat(bound.getMetadata().getName()).isNotBlank();
      AdmissionResult result = ADMISSION.get(kind).create(yaml);
      assertThat(result.allowed()).as(result.message()).isTrue();
      assertThat(result.warnings()).isEmpty();
    } else {
      HasMetadata bound = Serialization.unmarshal(yaml);
      assertThat(bound.getKind()).isEqualTo(kind);
    }
  }

  @Test
  void examplesCoverTheCasesUsersStartFrom() throws IOException {
    List<Example> all = examples();
    List<TrainingJob> training = bound(all, TrainingJob.class);
    assertThat(training).anySatisfy(tj -> {
      assertThat(tj.getSpec().getCheckpoint().getTrigger()).isEqualTo(CheckpointTrigger.Http);
      assertThat(tj.getSpec().getCheckpoint().getPort()).isNotNull();
      assertThat(tj.getSpec().getCapacity().getPolicy().name()).startsWith("Spot");
    });
    assertThat(bound(all, InferenceJob.class)).anySatisfy(ij -> {
      assertThat(ij.getSpec().getCapacity().getSpotPercent()).isEqualTo(80);
      int replicas = ij.getSpec().getReplicas();
      int base = ij.getSpec().getCapacity().getOnDemandBase();
      int spot = (replicas - base) * ij.getSpec().getCapacity().getSpotPercent() / 100;
      assertThat(spot * 100 / replicas).as("spot share of the replicas").isEqualTo(80);
    });
    List<GpuPool> pools = bound(all, GpuPool.class);
    for (String label : List.of("eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool", "cloud.google.com/gke-nodepool",
        "kubernetes.azure.com/agentpool")) {
      assertThat(pools).as("a GpuPool selecting nodes by " + label)
          .filteredOn(p -> p.getSpec().getNodeSelector().containsKey(label)).hasSizeGreaterThanOrEqualTo(2);
    }
    // every provider's example has a spot and an on-demand pool, declared or detectable from its labels
    assertThat(pools).anyMatch(p -> p.getSpec().getCapacityType() == CapacityType.Spot);
    assertThat(pools).anyMatch(p -> p.getSpec().getCapacityType() == CapacityType.OnDemand);
  }

  private static <T> List<T> bound(List<Example> all, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    for (Example e : all) {
      if (type.getSimpleName().equals(e.object().path("kind").asText())) {
        out.add(STRICT.treeToValue(e.object(), type));
      }
    }
    return out;
  }
}
