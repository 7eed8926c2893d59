package dev.spotter.cli;

import dev.spotter.sim.CblSimulator;
import dev.spotter.sim.Policies;
import dev.spotter.sim.PolicyResult;
import dev.spotter.sim.SimJob;
import dev.spotter.sim.SimPolicy;
import dev.spotter.sim.TraceFormat;
import dev.spotter.sim.TraceLoader;
import dev.spotter.sim.TraceSet;
import dev.spotter.sim.WorkloadLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotter simulate}: replays spot traces against a workload under several policies. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replays spot traces against a workload: cost, savings and deadline misses per policy.",
      "Jobs are independent; every start of an instance costs the job's restart overhead (the"
          + " 'cbl' model, docs/simulator.md)."
    },
    footerHeading = "%nJSON output (--json):%n",
    footer = {
      "  {\"policies\": [{...}, ...], \"model\", \"traces\", \"zones\", \"jobs\"}, one object per policy with:",
      "  policy           the policy name",
      "  cost             total USD paid for spot and on-demand instance time",
      "  on_demand_cost   USD the same jobs cost all on on-demand (one start each)",
      "  savings_pct      100 x (1 - cost / on_demand_cost)",
      "  deadline_misses  jobs finished after their deadline, or never",
      "  preemptions      spot instances lost while a job held them",
      "  lost_gpu_hours   GPU-hours paid without lasting progress: work rolled back at",
      "                   preemptions plus the restart overhead of every start after a job's first",
      "  spot_share       share of the paid GPU-hours that ran on spot (0..1)",
      "Top level: model (the model used), traces (the trace set's name), zones (how many),",
      "jobs (how many jobs the workload has)."
    })
public class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--traces", split = ",", paramLabel = "<dir|file|set>",
      description = "Trace files, directories of them, or a bundled set (${DEFAULT-VALUE}); one zone per file.",
      defaultValue = "gcp-h100-2025")
  List<String> traces;

  @Option(names = "--trace-format", paramLabel = "<format>", converter = FormatConverter.class,
      defaultValue = "preempted",
      description = "How to read each file's data array: preempted (1 = spot unavailable, the default),"
          + " available (1 = available) or count (machines available).")
  TraceFormat format;

  @Option(names = "--workload", required = true, paramLabel = "<file>",
      description = "Workload file, YAML or JSON: a list 'jobs' (see docs/simulator.md).")
  Path workload;

  @Option(names = "--policy", split = ",", paramLabel = "<name>", defaultValue = "all",
      description = "Policies to run, comma separated, or all (the default): on-demand, spot-only, greedy,"
          + " uniform-progress, optimal, spotter.")
  List<String> policies;

  @Option(names = "--json", description = "Print one JSON object (fields below) instead of a table.")
  boolean json;

  @Option(names = "--plot", paramLabel = "<file.svg|png>",
      description = "Also draw cost and deadline misses per policy to this PNG or SVG file.")
  Path plot;

  @Option(names = "--model", paramLabel = "<model>", defaultValue = "cbl",
      description = "Simulation model: cbl (the only one so far, the default): Can't Be Late ticks, independent jobs.")
  String model;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!model.equals("cbl")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown --model '" + model + "'; known: cbl");
    }
    List<SimPolicy> chosen;
    TraceSet set;
    List<SimJob> jobs;
    try {
      chosen = Policies.parse(policies);
      set = new TraceLoader(format).load(traces);
      jobs = WorkloadLoader.load(workload);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<PolicyResult> results = new ArrayList<>();
    CblSimulator sim = new CblSimulator();
    for (SimPolicy p : chosen) results.add(sim.run(jobs, set, p));
    if (json) {
      out.println(SimulationReport.json(model, set.name(), set.size(), jobs.size(), results));
    } else {
      out.printf(Locale.ROOT, "%d jobs over %s (%d zones, %d ticks of %d s, on-demand $%.2f per machine-hour)%n%n",
          jobs.size(), set.name(), set.size(), set.ticks(), set.gapSeconds(), set.onDemandPricePerMachineHour());
      out.print(SimulationReport.table(results));
    }
    if (plot != null) {
      ResultChart.save(results, jobs.size() + " jobs, " + set.name() + " (" + set.size() + " zones)", plot);
      if (!json) out.println("\nchart written to " + plot);
    }
    out.flush();
    return 0;
  }

  /** Accepts the format names in any case. */
  static final class FormatConverter implements CommandLine.ITypeConverter<TraceFormat> {
    @Override
    public TraceFormat convert(String value) {
      try {
        return TraceFormat.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of preempted, available, count");
      }
    }
  }
}
