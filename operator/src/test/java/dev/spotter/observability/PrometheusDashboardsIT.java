package dev.spotter.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package; CI installs it) scrapes the real operator on 127.0.0.1
 * while jobs are placed, preempted, checkpointed and rescheduled; then every query of every
 * shipped dashboard panel must return data through Prometheus's HTTP API.
 */
class PrometheusDashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private OperatorFixture fx;
  private Process prometheus;

  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String binary) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, binary))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyDashboardQueryReturnsDataWhileTheOperatorWorks() throws Exception {
    Assumptions.assumeTrue(onPath("prometheus"), "prometheus is not installed (.ci/run installs Debian's package)");
    int metricsPort = freePort();
    fx = new OperatorFixture(clock, Map.of("metricsPort", Integer.toString(metricsPort), "metricsHost", "127.0.0.1",
        "preemptionsBeforeOnDemand", "1")).threePools(4).startOperator();

    int promPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
        + "  - job_name: spotter\n    static_configs:\n      - targets: ['127.0.0.1:" + metricsPort + "']\n");
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + promPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

    // the scenario: placements, a notice with a committed checkpoint, a node lost without notice,
    // and the move to on-demand after a preemption (preemptionsBeforeOnDemand=1)
    fx.create(TrainingJobs.named("llm").workers(2).gpus(4).httpCheckpoint(20).build());
    fx.create(TrainingJobs.named("small").workers(1).gpus(1).httpCheckpoint(20).build());
    fx.create(TrainingJobs.named("lost").workers(1).gpus(8).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.podsOf("llm").size() == 2 && fx.podsOf("lost").size() == 1);
    Thread.sleep(6000);
    String node = fx.podsOf("llm").get(0).getSpec().getNodeName();
    fx.taint(node, "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    String lostNode = fx.podsOf("lost").get(0).getSpec().getNodeName();
    fx.client().nodes().withName(lostNode).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(fx.training("llm").getStatus().attempt()).as(dev.spotter.testing.Dump.status(fx.training("llm"))).isEqualTo(2);
      assertThat(fx.training("lost").getStatus().attempt()).as(dev.spotter.testing.Dump.status(fx.training("lost"))).isEqualTo(2);
    });
    Thread.sleep(12000); // a few more scrapes and cost samples

    String base = "http://127.0.0.1:" + promPort;
    await().atMost(Duration.ofSeconds(30)).until(() -> !query(base, "up{job=\"spotter\"} == 1").isEmpty());
    List<String> empty = new ArrayList<>();
    int queries = 0;
    for (File f : Path.of("..", "helm", "spotter", "files", "dashboards").toFile().listFiles((d, n) -> n.endsWith(".json"))) {
      for (String expr : expressions(JSON.readTree(f))) {
        queries++;
        String q = expr.replace("$__rate_interval", "1m").replace("$__range", "5m")
            .replace("=~\"$job\"", "=~\"spotter\"").replace("=~\"$namespace\"", "=~\".*\"").replace("=~\"$pool\"", "=~\".*\"");
        if (query(base, q).isEmpty()) {
          empty.add(f.getName() + ": " + q);
        }
      }
    }
    assertThat(queries).isGreaterThan(40);
    assertThat(empty).as("dashboard queries without data").isEmpty();
  }

  private List<JsonNode> query(String base, String promql) throws Exception {
    URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText()).as(promql + " -> " + r.body()).isEqualTo("success");
    List<JsonNode> out = new ArrayList<>();
    body.path("data").path("result").forEach(out::add);
    return out;
  }

  private static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode p : panels) {
      p.path("targets").forEach(t -> {
        if (t.hasNonNull("expr")) {
          out.add(t.get("expr").asText());
        }
      });
      collect(p.path("panels"), out);
    }
  }
}
