package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules: promtool accepts them and their unit tests pass (skipped where promtool is not
 * installed; CI installs Debian's prometheus package), every alert has a test that fires it and
 * one that keeps it quiet, a summary, a description and a runbook section in docs/operations.md,
 * reads only metrics Spotter exports, and the chart's PrometheusRule carries the same rules.
 */
class AlertRulesTest {
  static final Path RULES = SpotterChart.DIR.resolve("files/alerts/spotter-alerts.yaml");
  static final Path UNIT_TESTS = Path.of("src/test/resources/alerts/spotter-alerts-test.yaml");
  static final String RUNBOOKS = "https://github.com/spotter-dev/spotter/blob/main/docs/operations.md";

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    String out = promtool("check", "rules", RULES.toString());
    assertThat(out).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    assertThat(promtool("test", "rules", UNIT_TESTS.toString())).contains("SUCCESS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAFiringAndAQuietUnitTest() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(UNIT_TESTS));
    Map<String, int[]> cases = new LinkedHashMap<>(); // alert -> {firing, quiet}
    for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
      for (Map<String, Object> check : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
        List<?> expected = (List<?>) check.get("exp_alerts");
        int[] c = cases.computeIfAbsent((String) check.get("alertname"), k -> new int[2]);
        c[expected == null || expected.isEmpty() ? 1 : 0]++;
      }
    }
    for (JsonNode alert : alerts()) {
      String name = alert.path("alert").asText();
      int[] c = cases.getOrDefault(name, new int[2]);
      assertThat(c[0]).as(name + ": unit tests where it fires").isPositive();
      assertThat(c[1]).as(name + ": unit tests where it stays quiet").isPositive();
    }
    assertThat(cases.keySet()).as("unit tests of alerts that do not exist")
        .allMatch(n -> alerts().stream().anyMatch(a -> a.path("alert").asText().equals(n)));
  }

  @Test
  void everyAlertExplainsItselfAndHasARunbook() throws IOException {
    String operations = Files.readString(Path.of("..", "docs", "operations.md"));
    assertThat(alerts()).hasSizeGreaterThanOrEqualTo(7);
    for (JsonNode alert : alerts()) {
      String name = alert.path("alert").asText();
      assertThat(alert.at("/labels/severity").asText()).as(name).isIn("warning", "critical");
      assertThat(alert.at("/annotations/summary").asText()).as(name).isNotBlank();
      assertThat(alert.at("/annotations/description").asText()).as(name).isNotBlank();
      assertThat(alert.at("/annotations/runbook_url").asText()).as(name).isEqualTo(RUNBOOKS + "#" + name.toLowerCase());
      assertThat(operations).as("docs/operations.md section for " + name).contains("\n### " + name + "\n");
    }
  }

  @Test
  void alertsReadOnlyMetricsSpotterExports() {
    for (JsonNode alert : alerts()) {
      assertThat(PromQl.metricNames(alert.path("expr").asText())).as(alert.path("alert").asText())
          .isNotEmpty().allMatch(PromQl::exported);
    }
  }

  @Test
  void theChartsPrometheusRuleIsTheRulesFile() throws IOException {
    JsonNode rule = SpotterChart.render(Map.of("prometheusRule.enabled", true, "prometheusRule.labels.release", "kube-prometheus"))
        .one("PrometheusRule");
    assertThat(rule.at("/spec/groups")).isEqualTo(SpotterChart.YAML.readTree(RULES.toFile()).path("groups"));
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus");
  }

  @Test
  void theChartSwapsInTheScrapeJobAndTheRunbookAddress() {
    JsonNode rule = SpotterChart.render(Map.of(
        "prometheusRule.enabled", true,
        "prometheusRule.jobMatcher", "job=\"spotter-system/spotter\"",
        "prometheusRule.runbookBaseUrl", "https://wiki.example.com/spotter")).one("PrometheusRule");
    List<JsonNode> rules = new ArrayList<>();
    rule.at("/spec/groups").forEach(g -> g.path("rules").forEach(rules::add));
    assertThat(rules).hasSize(alerts().size());
    JsonNode down = rules.stream().filter(r -> r.path("alert").asText().equals("SpotterOperatorDown")).findFirst().orElseThrow();
    assertThat(down.path("expr").asText()).isEqualTo("absent(up{job=\"spotter-system/spotter\"} == 1)");
    assertThat(rules).allSatisfy(r -> assertThat(r.at("/annotations/runbook_url").asText())
        .isEqualTo("https://wiki.example.com/spotter#" + r.path("alert").asText().toLowerCase()));
  }

  static List<JsonNode> alerts() {
    try {
      List<JsonNode> all = new ArrayList<>();
      SpotterChart.YAML.readTree(RULES.toFile()).path("groups").forEach(g -> g.path("rules").forEach(all::add));
      return all;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs promtool (skipping the test when it is not on PATH) and returns its output; fails on a non-zero exit. */
  private static String promtool(String... args) throws IOException, InterruptedException {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean found = Arrays.stream(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
    Assumptions.assumeTrue(found, "promtool is not on PATH (apt-get install prometheus)");
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    // output to a file, so a chatty promtool never blocks on a full pipe
    Path log = Files.createTempFile("promtool", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 120 s");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + "\n" + out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
