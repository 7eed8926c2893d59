package dev.spotter.cli;

import dev.spotter.sim.CblSimulator;
import dev.spotter.sim.Policies;
import dev.spotter.sim.PolicyResult;
import dev.spotter.sim.SimJob;
import dev.spotter.sim.TraceFormat;
import dev.spotter.sim.TraceLoader;
import dev.spotter.sim.TraceSet;
import dev.spotter.sim.Workloads;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotter bench simulate}: times the simulator on a synthetic fleet over a trace set,
 * every policy but the optimum, and the optimum on growing slices of the fleet.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Times the simulator: a seeded fleet of mixed jobs over a trace set, per policy.",
    footerHeading = "%nJSON output (--json):%n",
    footer = {
      "  jobs, zones, ticks        the size of the run",
      "  policies[]                per policy: policy, seconds (wall time of the whole fleet), cost,",
      "                            deadline_misses",
      "  all_but_optimal_seconds   the sum of the policies' seconds (the 10 s target)",
      "  optimal[]                 per fleet slice: jobs, seconds (the optimum's wall time)"
    })
public class BenchSimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--jobs", defaultValue = "1000", description = "Jobs in the fleet (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--traces", split = ",", defaultValue = "gcp-h100-2025",
      description = "Trace files, directories or a bundled set (default ${DEFAULT-VALUE}).")
  List<String> traces;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic fleet (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--optimal-jobs", split = ",", defaultValue = "25,50,100",
      description = "Fleet slices on which to time the optimum (default ${DEFAULT-VALUE}); 0 to skip.")
  List<Integer> optimalJobs;

  @Option(names = "--json", description = "Print one JSON object (fields below) instead of text.")
  boolean json;

  /** Standalone entry point until the command is hooked under {@code spotter bench}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchSimulateCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TraceSet set = new TraceLoader(TraceFormat.PREEMPTED).load(traces);
    double span = set.ticks() * set.gapSeconds() / 3600.0 * 0.8;
    List<SimJob> fleet = Workloads.mixedFleet(jobs, span, seed);
    CblSimulator sim = new CblSimulator();
    // one untimed pass warms up the JIT, as a long-running process would be
    sim.run(fleet.subList(0, Math.min(50, fleet.size())), set, Policies.byName("spotter"));
    List<Map<String, Object>> rows = new ArrayList<>();
    double total = 0;
    for (String name : Policies.names()) {
      if (name.equals("optimal")) continue;
      PolicyResult r = sim.run(fleet, set, Policies.byName(name));
      double s = r.elapsedNanos() / 1e9;
      total += s;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", name);
      m.put("seconds", SimulationReport.round(s, 3));
      m.put("cost", SimulationReport.round(r.cost(), 2));
      m.put("deadline_misses", r.deadlineMisses());
      rows.add(m);
    }
    List<Map<String, Object>> opt = new ArrayList<>();
    for (int n : optimalJobs) {
      if (n <= 0) continue;
      PolicyResult r = sim.run(fleet.subList(0, Math.min(n, fleet.size())), set, Policies.byName("optimal"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobs", Math.min(n, fleet.size()));
      m.put("seconds", SimulationReport.round(r.elapsedNanos() / 1e9, 3));
      opt.add(m);
    }
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("jobs", fleet.size());
      root.put("zones", set.size());
      root.put("ticks", set.ticks());
      root.put("policies", rows);
      root.put("all_but_optimal_seconds", SimulationReport.round(total, 3));
      root.put("optimal", opt);
      out.println(SimulationReport.write(root));
    } else {
      out.printf(Locale.ROOT, "%d jobs, %d zones, %d ticks%n", fleet.size(), set.size(), set.ticks());
      for (Map<String, Object> m : rows) out.printf(Locale.ROOT, "  %-18s %8.3f s%n", m.get("policy"), (Double) m.get("seconds"));
      out.printf(Locale.ROOT, "  all but optimal    %8.3f s%n", total);
      for (Map<String, Object> m : opt) out.printf(Locale.ROOT, "  optimal, %5d jobs %8.3f s%n", m.get("jobs"), (Double) m.get("seconds"));
    }
    out.flush();
    return 0;
  }
}
