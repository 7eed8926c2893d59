package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * manifests/install.yaml is the chart rendered with default values, for kubectl users: the
 * namespace, the CRDs, then every object of `helm template`. Never edited by hand; run the build
 * with -Dspotter.updateManifests=true after changing the chart.
 */
class InstallManifestTest {
  static final Path INSTALL = Path.of("..", "manifests", "install.yaml");

  @Test
  void committedInstallManifestIsTheRenderedChart() throws IOException {
    String expected = render();
    if (Boolean.getBoolean("spotter.updateManifests")) {
      Files.createDirectories(INSTALL.getParent());
      Files.writeString(INSTALL, expected);
    }
    assertThat(Files.exists(INSTALL)).as("manifests/install.yaml is missing: run ./mvnw -B verify -Dspotter.updateManifests=true").isTrue();
    assertThat(Files.readString(INSTALL))
        .as("manifests/install.yaml drifted from helm/spotter: run ./mvnw -B verify -Dspotter.updateManifests=true and commit it")
        .isEqualTo(expected);
  }

  @Test
  void installManifestHoldsTheNamespaceTheCrdsAndTheOperator() throws IOException {
    String manifest = render();
    List<ObjectNode> objects = SpotterChart.parseAll(manifest);
    assertThat(objects.get(0).path("kind").asText()).isEqualTo("Namespace");
    assertThat(objects.get(0).at("/metadata/labels/pod-security.kubernetes.io~1enforce").asText()).isEqualTo("restricted");
    assertThat(objects.subList(1, 4)).allSatisfy(o -> assertThat(o.path("kind").asText()).isEqualTo("CustomResourceDefinition"));
    assertThat(objects).filteredOn(o -> o.path("kind").asText().equals("Deployment")).hasSize(1);
    assertThat(manifest).doesNotContain(":latest");
  }

  /** The manifest as the chart renders it now. */
  static String render() throws IOException {
    StringBuilder out = new StringBuilder();
    String appVersion = SpotterChart.YAML.readTree(SpotterChart.DIR.resolve("Chart.yaml").toFile()).path("appVersion").asText();
    out.append("# Spotter ").append(appVersion).append(": what `helm install spotter helm/spotter --namespace ")
        .append(SpotterChart.NAMESPACE).append("` creates with default values, plus the namespace and the CRDs.\n")
        .append("# Rendered from the chart by InstallManifestTest (-Dspotter.updateManifests=true); do not edit.\n")
        .append("# Install or upgrade: kubectl apply --server-side -f manifests/install.yaml\n")
        .append("---\n")
        .append("apiVersion: v1\n")
        .append("kind: Namespace\n")
        .append("metadata:\n")
        .append("  name: ").append(SpotterChart.NAMESPACE).append('\n')
        .append("  labels:\n")
        .append("    pod-security.kubernetes.io/enforce: restricted\n");
    // the chart's crds/ is a checked copy of these (ChartCrdsTest); reading the source keeps the
    // result independent of which of the two tests refreshes its file first
    for (String crd : ChartCrdsTest.yamlFiles(ChartCrdsTest.SOURCE)) {
      out.append("---\n# Source: spotter/crds/").append(crd).append('\n')
          .append(Files.readString(ChartCrdsTest.SOURCE.resolve(crd)));
    }
    String rendered = SpotterChart.template(Map.of());
    out.append(rendered.startsWith("---") ? rendered : "---\n" + rendered);
    return out.toString();
  }
}
