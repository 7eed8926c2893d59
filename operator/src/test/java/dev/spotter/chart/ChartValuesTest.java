package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.config.Option;
import dev.spotter.config.SpotterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every operator option is one value under operator.config, described in values.yaml, in
 * values.schema.json and in the README, and reaches the operator as its SPOTTER_* variable with
 * the operator's default; every documented value is in the schema and the README.
 */
class ChartValuesTest {
  /** Options whose chart default differs from the operator's on purpose (the README says why). */
  private static final Map<Option, String> CHART_DEFAULTS = Map.of(
      Option.LEADER_ELECTION, "true",
      Option.LEADER_ELECTION_NAMESPACE, SpotterChart.NAMESPACE,
      Option.LOG_FORMAT, "json");

  private static final JsonNode VALUES = read("values.yaml", SpotterChart.YAML);
  private static final JsonNode SCHEMA = read("values.schema.json", new ObjectMapper());
  private static final Map<String, String> DOCUMENTED = DocumentedValues.read(SpotterChart.DIR.resolve("values.yaml"));
  private static final JsonNode DEPLOYMENT = SpotterChart.render().one("Deployment");

  @ParameterizedTest
  @EnumSource(Option.class)
  void everyOptionHasADocumentedValue(Option option) throws IOException {
    String path = "operator.config." + option.key();
    assertThat(VALUES.at("/operator/config").has(option.key())).as(path + " in values.yaml").isTrue();
    assertThat(DOCUMENTED.get(path)).as(path + " described in values.yaml").isNotBlank();
    assertThat(schemaOf(path).path("description").asText()).as(path + " described in values.schema.json").isNotBlank();
    assertThat(Files.readString(SpotterChart.DIR.resolve("README.md"))).as(path + " in README.md").contains("| `" + path + "` |");
  }

  @ParameterizedTest
  @EnumSource(Option.class)
  void everyOptionReachesTheOperatorWithItsDefault(Option option) {
    String expected = CHART_DEFAULTS.getOrDefault(option, option.defaultValue());
    assertThat(ChartRenderTest.env(DEPLOYMENT, option.envVar())).as(option.envVar()).isEqualTo(expected);
  }

  @Test
  void theRenderedEnvironmentLoadsAsTheOperatorsConfiguration() {
    Map<String, String> env = StreamSupport.stream(DEPLOYMENT.at("/spec/template/spec/containers/0/env").spliterator(), false)
        .filter(e -> e.has("value"))
        .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("value").asText()));
    SpotterConfig config = SpotterConfig.load(env, Map.of());
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.spotTarget()).isEqualTo(0.8);
    assertThat(config.metricsPort()).isEqualTo(8080);
    assertThat(config.watchNamespaces()).isEmpty();
  }

  @Test
  void valuesAreSetThroughTheirOptions() {
    JsonNode d = SpotterChart.render(Map.of(
        "operator.config.spotTarget", 0.65,
        "operator.config.watchNamespaces[0]", "ml",
        "operator.config.watchNamespaces[1]", "serving",
        "operator.config.metricsPort", 9090)).one("Deployment");
    assertThat(ChartRenderTest.env(d, Option.SPOT_TARGET.envVar())).isEqualTo("0.65");
    assertThat(ChartRenderTest.env(d, Option.WATCH_NAMESPACES.envVar())).isEqualTo("ml,serving");
    assertThat(ChartRenderTest.env(d, Option.METRICS_PORT.envVar())).isEqualTo("9090");
    assertThat(d.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(9090);
  }

  @Test
  void operatorConfigHoldsOnlyOptions() {
    Set<String> keys = new TreeSet<>();
    VALUES.at("/operator/config").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).isEqualTo(Arrays.stream(Option.values()).map(Option::key).collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void everyDocumentedValueIsInTheSchemaAndTheReadme() throws IOException {
    String readme = Files.readString(SpotterChart.DIR.resolve("README.md"));
    assertThat(DOCUMENTED).hasSizeGreaterThan(60);
    DOCUMENTED.forEach((path, description) -> {
      assertThat(schemaOf(path).path("description").asText()).as(path).isEqualTo(description);
      assertThat(readme).as(path + " in README.md").contains("| `" + path + "` |");
    });
  }

  @Test
  void theSchemaRejectsValuesTheOperatorWouldRefuse() {
    assertThatThrownBy(() -> SpotterChart.template(Map.of("operator.config.spotTarget", 1.5)))
        .hasMessageContaining("/operator/config/spotTarget");
    assertThatThrownBy(() -> SpotterChart.template(Map.of("operator.config.logFormat", "xml")))
        .hasMessageContaining("/operator/config/logFormat");
    assertThatThrownBy(() -> SpotterChart.template(Map.of("operator.config.reconcileThreads", 0)))
        .hasMessageContaining("/operator/config/reconcileThreads");
    assertThatThrownBy(() -> SpotterChart.template(Map.of("operator.confg.spotTarget", 0.5)))
        .hasMessageContaining("confg");
  }

  private static JsonNode schemaOf(String dottedPath) {
    JsonNode node = SCHEMA;
    for (String step : dottedPath.split("\\.")) {
      node = node.path("properties").path(step);
    }
    return node;
  }

  private static JsonNode read(String file, ObjectMapper mapper) {
    try {
      return mapper.readTree(SpotterChart.DIR.resolve(file).toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
