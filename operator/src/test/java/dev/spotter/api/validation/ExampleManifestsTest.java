package dev.spotter.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spotter.api.GpuPool;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingJob;
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
 * Every example under manifests/examples reads into Spotter's Java types without unknown fields and
 * is admitted by the committed CRDs, as {@code kubectl apply} would admit it.
 */
class ExampleManifestsTest {
  private static final Path EXAMPLES = Path.of("..", "manifests", "examples");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, Class<?>> TYPES =
      Map.of("TrainingJob", TrainingJob.class, "InferenceJob", InferenceJob.class, "GpuPool", GpuPool.class);
  private static final Map<String, CrdAdmission> CRDS = Map.of(
      "TrainingJob", SpotterManifests.TRAINING_JOBS,
      "InferenceJob", SpotterManifests.INFERENCE_JOBS,
      "GpuPool", SpotterManifests.GPU_POOLS);

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleReadsIntoTheJavaTypesAndIsAdmitted(Path file) throws IOException {
    List<String> spotterDocs = new ArrayList<>();
    for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node == null || node.isEmpty() || !node.path("apiVersion").asText().startsWith("spotter.dev/")) {
        continue; // other kinds (a Namespace, a PVC) are Kubernetes' to validate
      }
      String kind = node.path("kind").asText();
      assertThat(TYPES).as(file + ": kind " + kind).containsKey(kind);
      assertThat(YAML.treeToValue(node, TYPES.get(kind))).isNotNull();
      AdmissionResult result = CRDS.get(kind).create(doc);
      assertThat(result.allowed()).as(file + " " + kind + " " + node.path("metadata").path("name").asText() + ":\n" + result.errorLines())
          .isTrue();
      spotterDocs.add(kind);
    }
    assertThat(spotterDocs).as(file + " holds no Spotter resource").isNotEmpty();
  }

  @Test
  void theAcceleratorExamplesExist() {
    assertThat(EXAMPLES.resolve("training-ascend.yaml")).exists();
    assertThat(EXAMPLES.resolve("training-amd.yaml")).exists();
    assertThat(EXAMPLES.resolve("gpupool-ascend-alibaba.yaml")).exists();
    assertThat(EXAMPLES.resolve("gpupool-amd.yaml")).exists();
  }
}
