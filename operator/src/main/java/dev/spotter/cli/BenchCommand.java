package dev.spotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.bench.PlacementBenchmark;
import dev.spotter.bench.PreemptionBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `spotter bench`: the benchmarks behind docs/benchmarks.md, each printing one JSON object. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the real operator and the decision code; --json prints one machine-readable object.",
    subcommands = {BenchCommand.Placement.class, BenchCommand.Preemption.class})
public class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final ObjectMapper JSON = new ObjectMapper();

  /** `spotter bench placement`. */
  @Command(
      name = "placement",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the real operator against an in-process API with simulated 8-GPU nodes (three spot zones, one on-demand",
        "pool) and submits single-GPU TrainingJobs; measures admission (placement recorded in status).",
        "JSON fields: nodes, jobs, admitted, seconds (first submit to last admission), jobs_per_second,",
        "p50_admission_ms, p99_admission_ms (submit -> placement seen in a watch), peak_heap_mib (sampled used heap of",
        "the whole process: API server, operator and client), max_heap_mib (-Xmx), spot_share, submit_threads."
      })
  static class Placement implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "2000", description = "Simulated 8-GPU nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--jobs", defaultValue = "10000", description = "Single-GPU jobs to submit (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--timeout", defaultValue = "300", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--json", description = "Print one JSON object instead of a summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || jobs < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--nodes and --jobs must be at least 1");
      }
      PlacementBenchmark.Result r = new PlacementBenchmark(nodes, jobs, timeout).run();
      if (json) {
        System.out.println(JSON.writeValueAsString(r));
      } else {
        System.out.printf("%d of %d jobs admitted on %d nodes in %.1f s (%.0f jobs/s); admission p50 %.0f ms, p99 %.0f ms;"
                + " spot share %.2f; peak heap %.0f MiB of %.0f MiB%n",
            r.admitted(), r.jobs(), r.nodes(), r.seconds(), r.jobs_per_second(), r.p50_admission_ms(), r.p99_admission_ms(),
            r.spot_share(), r.peak_heap_mib(), r.max_heap_mib());
      }
      return r.admitted() == r.jobs() ? 0 : 1;
    }
  }

  /** `spotter bench preemption`. */
  @Command(
      name = "preemption",
      mixinStandardHelpOptions = true,
      description = {
        "A notice storm against the real operator on the in-process API: N single-GPU training jobs (Http checkpoint",
        "trigger) run five to a spot node; every one of those nodes gets a GKE termination taint at once. The workers",
        "answer checkpoint requests after 100 ms (in memory, no network). Replacement capacity: another spot zone and",
        "on-demand.",
        "JSON fields: notices (jobs hit), nodes_noticed, jobs, p50/p99_notice_to_checkpoint_ms (the job's node taint accepted",
        "by the API -> first rank asked), p50/p99_notice_to_replacement_ms (same start -> pods of the next attempt created),",
        "checkpoints_missed, duplicate_pods (ranks that ever had two live pods), jobs_rescheduled, seconds, peak_heap_mib."
      })
  static class Preemption implements Callable<Integer> {
    @Option(names = "--notices", defaultValue = "500", description = "Jobs hit by notices (default ${DEFAULT-VALUE}).")
    int notices;

    @Option(names = "--timeout", defaultValue = "120", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--json", description = "Print one JSON object instead of a summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (notices < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--notices must be at least 1");
      }
      PreemptionBenchmark.Result r = new PreemptionBenchmark(notices, timeout).run();
      if (json) {
        System.out.println(JSON.writeValueAsString(r));
      } else {
        System.out.printf("%d notices on %d nodes: notice->checkpoint p50 %.0f ms p99 %.0f ms; notice->replacement p50 %.0f ms"
                + " p99 %.0f ms; %d missed, %d duplicate pods, %d of %d rescheduled%n",
            r.notices(), r.nodes_noticed(), r.p50_notice_to_checkpoint_ms(), r.p99_notice_to_checkpoint_ms(),
            r.p50_notice_to_replacement_ms(), r.p99_notice_to_replacement_ms(), r.checkpoints_missed(), r.duplicate_pods(),
            r.jobs_rescheduled(), r.jobs());
      }
      return r.checkpoints_missed() == 0 && r.duplicate_pods() == 0 && r.jobs_rescheduled() == r.jobs() ? 0 : 1;
    }
  }
}
