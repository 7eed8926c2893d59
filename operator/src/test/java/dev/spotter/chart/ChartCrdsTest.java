package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * crds/ at the repository root is the one source of the CRDs (generated from the Java types and
 * checked by CrdsUpToDateTest); the chart ships a byte-for-byte copy in helm/spotter/crds/,
 * because a chart directory must be self-contained for helm package. Run the build with
 * -Dspotter.updateManifests=true to refresh the copy.
 */
class ChartCrdsTest {
  static final Path SOURCE = Path.of("..", "crds");
  static final Path CHART_COPY = SpotterChart.DIR.resolve("crds");

  @Test
  void theChartShipsExactlyTheCommittedCrds() throws IOException {
    List<String> source = yamlFiles(SOURCE);
    assertThat(source).hasSize(3);
    if (Boolean.getBoolean("spotter.updateManifests")) {
      Files.createDirectories(CHART_COPY);
      for (String stale : yamlFiles(CHART_COPY)) {
        if (!source.contains(stale)) {
          Files.delete(CHART_COPY.resolve(stale));
        }
      }
      for (String name : source) {
        Files.copy(SOURCE.resolve(name), CHART_COPY.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String fix = ": run ./mvnw -B verify -Dspotter.updateManifests=true and commit helm/spotter/crds/";
    assertThat(yamlFiles(CHART_COPY)).as("helm/spotter/crds/ lists other files than crds/" + fix).isEqualTo(source);
    for (String name : source) {
      assertThat(Files.readString(CHART_COPY.resolve(name)))
          .as("helm/spotter/crds/" + name + " drifted from crds/" + name + fix)
          .isEqualTo(Files.readString(SOURCE.resolve(name)));
    }
  }

  static List<String> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
  }
}
