package dev.spotter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs under crds/ must equal what the build generates from the Java types.
 *
 * <p>The generator sorts printer columns by JSON path; kubectl shows them in list order, so the
 * columns are put back in the order the type declares them. Run the build with
 * -Dspotter.updateCrds=true to rewrite crds/ after changing an API type.
 */
class CrdsUpToDateTest {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
  private static final Path GENERATED = Path.of("target", "crds");
  private static final Path COMMITTED = Path.of("..", "crds");

  static Stream<Arguments> crds() {
    return Stream.of(
        Arguments.of("trainingjobs.spotter.dev", TrainingJob.class),
        Arguments.of("inferencejobs.spotter.dev", InferenceJob.class),
        Arguments.of("gpupools.spotter.dev", GpuPool.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void committedCrdMatchesJavaTypes(String name, Class<?> type) throws IOException {
    Path generated = GENERATED.resolve(name + "-v1.yml");
    assertTrue(Files.exists(generated), "the build did not generate " + generated);
    String expected = render(generated, type);
    Path committed = COMMITTED.resolve(name + ".yaml");
    if (Boolean.getBoolean("spotter.updateCrds")) {
      Files.writeString(committed, expected);
    }
    assertTrue(
        Files.exists(committed),
        committed + " is missing: run ./mvnw -B verify -Dspotter.updateCrds=true and commit crds/");
    assertEquals(
        expected,
        Files.readString(committed),
        "crds/" + name + ".yaml drifted from the Java types: run ./mvnw -B verify -Dspotter.updateCrds=true and commit crds/");
  }

  private static String render(Path generated, Class<?> type) throws IOException {
    JsonNode crd = YAML.readTree(generated.toFile());
    List<String> order =
        Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode columns = version.path("additionalPrinterColumns");
      if (!columns.isArray()) {
        continue;
      }
      List<JsonNode> sorted = new ArrayList<>();
      columns.forEach(sorted::add);
      sorted.sort((a, b) -> Integer.compare(order.indexOf(a.path("name").asText()), order.indexOf(b.path("name").asText())));
      ArrayNode reordered = YAML.createArrayNode();
      sorted.forEach(reordered::add);
      ((ObjectNode) version).set("additionalPrinterColumns", reordered);
    }
    return "# Generated from the Java types in operator/src/main/java/dev/spotter/api; do not edit.\n"
        + YAML.writeValueAsString(crd);
  }
}
