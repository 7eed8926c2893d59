package dev.spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  static final String WORKLOAD = """
      jobs:
        - {name: a, gpus: 8, computeHours: 10, deadlineHours: 14, arrivalHours: 0,
           checkpointIntervalMinutes: 30, restartOverheadMinutes: 12, noticeCheckpointSeconds: 20}
        - {name: b, gpus: 16, computeHours: 6, arrivalHours: 5, checkpointIntervalMinutes: 30, restartOverheadMinutes: 12}
      """;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void jsonHasOneObjectPerPolicyWithTheDocumentedFields(@TempDir Path dir) throws Exception {
    Path w = Files.writeString(dir.resolve("w.yaml"), WORKLOAD);
    Run r = run("simulate", "--traces", "gcp-h100-2025", "--workload", w.toString(), "--json",
        "--policy", "on-demand,greedy,spotter");
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    JsonNode policies = root.get("policies");
    assertEquals(3, policies.size());
    List<String> fields = List.of("policy", "cost", "on_demand_cost", "savings_pct", "deadline_misses", "preemptions",
        "lost_gpu_hours", "spot_share");
    for (JsonNode p : policies) {
      for (String f : fields) assertTrue(p.has(f), "missing " + f + " in " + p);
      assertEquals(fields.size(), p.size(), "no other per-policy fields: " + p);
    }
    JsonNode od = policies.get(0);
    assertEquals("on-demand", od.get("policy").asText());
    assertEquals(od.get("cost").asDouble(), od.get("on_demand_cost").asDouble(), 0.01);
    assertEquals(0.0, od.get("savings_pct").asDouble(), 1e-9);
    assertTrue(policies.get(2).get("cost").asDouble() < od.get("cost").asDouble(), "spot saves money");
    assertEquals("cbl", root.get("model").asText());
    assertEquals(13, root.get("zones").asInt());
    assertEquals(2, root.get("jobs").asInt());
  }

  @Test
  void tableAndChart(@TempDir Path dir) throws Exception {
    Path w = Files.writeString(dir.resolve("w.json"),
        "{\"jobs\": [{\"name\": \"a\", \"gpus\": 8, \"computeHours\": 5, \"deadlineHours\": 8}]}");
    Path png = dir.resolve("chart.png");
    Run r = run("simulate", "--workload", w.toString(), "--plot", png.toString(), "--policy", "all");
    assertEquals(0, r.code(), r.err());
    for (String p : List.of("on-demand", "spot-only", "greedy", "uniform-progress", "optimal", "spotter")) {
      assertTrue(r.out().contains(p), p);
    }
    assertTrue(Files.size(png) > 5_000, "a PNG was drawn");
    byte[] head = Files.readAllBytes(png);
    assertEquals((byte) 0x89, head[0]);
    assertEquals('P', head[1]);
  }

  @Test
  void badInputsGiveAClearErrorAndAUsageExitCode(@TempDir Path dir) throws Exception {
    Path w = Files.writeString(dir.resolve("w.yaml"), WORKLOAD);
    Run unknownPolicy = run("simulate", "--workload", w.toString(), "--policy", "cheapest");
    assertNotEquals(0, unknownPolicy.code());
    assertTrue(unknownPolicy.err().contains("unknown policy 'cheapest'"), unknownPolicy.err());
    Run badFormat = run("simulate", "--workload", w.toString(), "--trace-format", "bits");
    assertNotEquals(0, badFormat.code());
    assertTrue(badFormat.err().contains("preempted, available, count"), badFormat.err());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "jobs: [{name: x, computeHours: 1}]");
    Run badWorkload = run("simulate", "--workload", bad.toString());
    assertTrue(badWorkload.err().contains("'jobs[0].gpus': missing"), badWorkload.err());
    Run countTrace = run("simulate", "--workload", w.toString(), "--trace-format", "count", "--model", "fleet");
    assertTrue(countTrace.err().contains("unknown --model 'fleet'"), countTrace.err());
  }

  @Test
  void helpDocumentsEveryOptionAndJsonField() {
    Run r = run("simulate", "--help");
    for (String s : List.of("--traces", "--trace-format", "--workload", "--policy", "--json", "--plot", "--model",
        "on_demand_cost", "savings_pct", "deadline_misses", "preemptions", "lost_gpu_hours", "spot_share")) {
      assertTrue(r.out().contains(s), s);
    }
  }

  @Test
  void benchReportsTimingsForASmallFleet() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new BenchSimulateCommand());
    cl.setOut(new PrintWriter(out));
    int code = cl.execute("--jobs", "40", "--optimal-jobs", "5", "--json");
    assertEquals(0, code);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertEquals(40, root.get("jobs").asInt());
    assertEquals(5, root.get("policies").size());
    assertTrue(root.get("all_but_optimal_seconds").asDouble() > 0);
    assertEquals(5, root.get("optimal").get(0).get("jobs").asInt());
  }
}
