package dev.spotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spotter.sim.PolicyResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints simulation results as a table or as the JSON object documented in docs/simulator.md. */
final class SimulationReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SimulationReport() {}

  static String table(List<PolicyResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-18s %14s %14s %9s %8s %12s %10s %6s%n",
        "POLICY", "COST ($)", "ON-DEMAND ($)", "SAVINGS", "MISSES", "PREEMPTIONS", "LOST GPU-H", "SPOT"));
    for (PolicyResult r : results) {
      sb.append(String.format(Locale.ROOT, "%-18s %,14.0f %,14.0f %8.1f%% %8d %12d %,10.0f %5.0f%%%n",
          r.policy(), r.cost(), r.onDemandCost(), r.savingsPct(), r.deadlineMisses(), r.preemptions(),
          r.lostGpuHours(), 100 * r.spotShare()));
    }
    return sb.toString();
  }

  static Map<String, Object> policyFields(PolicyResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", r.policy());
    m.put("cost", round(r.cost(), 2));
    m.put("on_demand_cost", round(r.onDemandCost(), 2));
    m.put("savings_pct", round(r.savingsPct(), 2));
    m.put("deadline_misses", r.deadlineMisses());
    m.put("preemptions", r.preemptions());
    m.put("lost_gpu_hours", round(r.lostGpuHours(), 2));
    m.put("spot_share", round(r.spotShare(), 4));
    return m;
  }

  static String json(String model, String traces, int zones, int jobs, List<PolicyResult> results) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> policies = new ArrayList<>();
    for (PolicyResult r : results) policies.add(policyFields(r));
    root.put("policies", policies);
    root.put("model", model);
    root.put("traces", traces);
    root.put("zones", zones);
    root.put("jobs", jobs);
    return write(root);
  }

  static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
