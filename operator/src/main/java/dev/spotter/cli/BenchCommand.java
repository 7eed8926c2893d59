package dev.spotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.bench.ChaosBenchmark;
import dev.spotter.bench.PlacementBenchmark;
import dev.spotter.bench.PreemptionBenchmark;
import dev.spotter.bench.SoakBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `spotter bench`: the benchmarks behind docs/benchmarks.md, each printing one JSON object. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the real operator and the decision code; --json prints one machine-readable object.",
    subcommands = {BenchCommand.Placement.class, BenchCommand.Preemption.class, BenchCommand.Chaos.class, BenchCommand.Soak.class,
        BenchSimulateCommand.class})
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

  /** `spotter bench soak`. */
  @Command(
      name = "soak",
      mixinStandardHelpOptions = true,
      description = {
        "A long run of the demo: the real operator on the in-process API, spot pools following the bundled GCP H100",
        "trace, simulated checkpointing workloads, the bundled jobs plus --jobs generated ones, replaying --days of trace",
        "at --speed. The heap after a full GC and the live thread count are sampled at the end of every simulated day;",
        "the first sample (after one day of warm-up) is the start, the last the end. Exits 1 when the heap or the thread",
        "count grew more than 32 MiB or 4 threads from the first day to the last, or a thread of its own outlived the run.",
        "JSON fields: days, speed, seed, jobs_total, jobs_completed, jobs_lost, jobs_unfinished, notices, preemptions,",
        "checkpoints, real_seconds, heap_start_mib, heap_end_mib, heap_max_mib, heap_daily_mib (one per simulated day),",
        "threads_baseline (before the run), threads_start, threads_end, threads_max, threads_after_close, threads_left",
        "(names of threads alive after the run that were not before; the JVM's common ForkJoin pool is not counted),",
        "threads_leaked (threads_left less fabric8's shared timer, JDK HTTP client selectors and Netty's global event",
        "executor, which those libraries end lazily, within seconds to minutes)."
      })
  static class Soak implements Callable<Integer> {
    /** Heap growth from the first to the last day that still counts as flat. */
    static final double HEAP_TOLERANCE_MIB = 32;
    /** Thread count growth from the first to the last day that still counts as flat. */
    static final int THREAD_TOLERANCE = 4;

    @Option(names = "--days", defaultValue = "7", description = "Simulated days (default ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--speed", defaultValue = "3600", description = "Trace seconds per real second (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--seed", defaultValue = "7", description = "Picks the trace days and the generated jobs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jobs", defaultValue = "40", description = "Generated training jobs (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--json", description = "Print one JSON object instead of a summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (days < 2 || !(speed > 0) || jobs < 0) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--days must be at least 2, --speed positive, --jobs not negative");
      }
      SoakBenchmark.Result r = new SoakBenchmark(days, speed, seed, jobs).run();
      if (json) {
        System.out.println(JSON.writeValueAsString(r));
      } else {
        System.out.printf("%.1f simulated days in %.0f s: %d of %d jobs completed, %d lost, %d notices, %d preemptions;"
                + " heap after GC %.1f -> %.1f MiB (max %.1f); threads %d -> %d (max %d), %d after close (%d before)%n",
            r.days(), r.real_seconds(), r.jobs_completed(), r.jobs_total(), r.jobs_lost(), r.notices(), r.preemptions(),
            r.heap_start_mib(), r.heap_end_mib(), r.heap_max_mib(), r.threads_start(), r.threads_end(), r.threads_max(),
            r.threads_after_close(), r.threads_baseline());
      }
      boolean flat = r.heap_end_mib() - r.heap_start_mib() <= HEAP_TOLERANCE_MIB
          && r.threads_end() - r.threads_start() <= THREAD_TOLERANCE && r.threads_leaked().isEmpty();
      return flat && r.jobs_lost() == 0 ? 0 : 1;
    }
  }

  /** `spotter bench chaos`. */
  @Command(
      name = "chaos",
      mixinStandardHelpOptions = true,
      description = {
        "Fault injection against the real operator on the in-process API. Each scenario starts afresh: the embedded API",
        "server behind a fault injector, simulated 8-GPU nodes in three spot zones (spot-a cheapest, so busiest) and an",
        "on-demand pool, the simulated kubelet, the real operator, and 2-rank training jobs (Http checkpoint trigger) whose",
        "simulated workloads run 45 simulated minutes (4.5 s), write a checkpoint every 10 simulated minutes and answer",
        "checkpoint requests after 200 ms. Scenarios, and what faults counts in each:",
        "  api-errors        409 Conflict or 500 on every 5th write (operator, kubelet and the run's own); a notice mid-run.",
        "                    faults: answers injected (the fabric8 client retries 500s itself, as in a cluster install)",
        "  timeouts          every 6th write answered 1.5 s late against a 1 s client request timeout (half applied, half",
        "                    not); a notice mid-run. faults: late answers",
        "  watch-gone        every open watch ended with 410 Gone every second (informers must relist); a notice mid-run.",
        "                    faults: watches ended",
        "  operator-restart  the operator stopped and started anew three times: during admission, right after a notice, while",
        "                    the gang moves. faults: restarts",
        "  preemption-storm  three times as many 1-rank jobs; every node of the two busiest of the three spot zones noticed",
        "                    at once. faults: nodes noticed",
        "  zone-loss         every node of the busiest spot zone (a third of all spot capacity) deleted at once, no notice.",
        "                    faults: nodes removed",
        "Everything is measured on the API server's own commit history (each committed write, in order) and the workers'",
        "answers, never on what the operator reports.",
        "JSON fields: scenarios (count), faults_injected (sum of per-scenario faults), jobs, jobs_completed (phase Succeeded at",
        "the end), jobs_lost (deleted or Failed: no scenario injects a user failure), checkpoints_lost (a job's",
        "status.lastCheckpoint vanished or went back to an older checkpoint in the workload's own order; or a pod was created",
        "resuming from something other than the lastCheckpoint its job recorded at that moment; or a gang committed a",
        "checkpoint on request before the operator's deadline and the next attempt resumed from an older one), duplicate_pods",
        "(job ranks that had two live pods in one committed state of the store; live = not Succeeded/Failed and its node",
        "still exists), stuck_jobs (not Succeeded and not Pending/Restarting with a reason at the end), restarts_charged",
        "(jobs whose status.restarts grew although no worker ever failed), seconds, per_scenario (one object per scenario:",
        "scenario, fault_kind, faults, jobs, jobs_completed, jobs_lost, checkpoints_lost, duplicate_pods, stuck_jobs,",
        "jobs_moved (attempt > 1), restarts_charged, api_commits, seconds, violations (each broken promise, described)).",
        "Exit code 0 when jobs_lost, checkpoints_lost, duplicate_pods, stuck_jobs and restarts_charged are all 0 and every",
        "scenario injected at least one fault."
      })
  static class Chaos implements Callable<Integer> {
    @Option(names = "--scenario", split = ",", description = "Scenarios to run, comma-separated (default: all, in the order above).")
    java.util.List<String> scenarios;

    @Option(names = "--jobs", defaultValue = "8", description = "2-rank jobs per scenario (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds a scenario may take before unfinished jobs count"
        + " against it (default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = "Print one JSON object instead of a summary.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (jobs < 1 || jobs > 100) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be between 1 and 100");
      }
      if (timeout < 5) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 5 seconds");
      }
      java.util.List<ChaosBenchmark.Scenario> chosen = new java.util.ArrayList<>();
      try {
        for (String s : scenarios == null ? ChaosBenchmark.Scenario.ids() : scenarios) {
          chosen.add(ChaosBenchmark.Scenario.of(s.trim()));
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: " + e.getMessage());
      }
      ChaosBenchmark.Result r = new ChaosBenchmark(chosen, jobs, java.time.Duration.ofSeconds(timeout)).run();
      if (json) {
        spec.commandLine().getOut().println(JSON.writeValueAsString(r));
      } else {
        var out = spec.commandLine().getOut();
        for (ChaosBenchmark.ScenarioResult s : r.per_scenario()) {
          out.printf("%-17s %5d faults (%s): %d/%d jobs completed, %d moved; lost %d, checkpoints lost %d, duplicate pods %d,"
                  + " stuck %d; %.1f s%n", s.scenario(), s.faults(), s.fault_kind(), s.jobs_completed(), s.jobs(), s.jobs_moved(),
              s.jobs_lost(), s.checkpoints_lost(), s.duplicate_pods(), s.stuck_jobs(), s.seconds());
          s.violations().forEach(v -> out.println("    " + v));
        }
        out.printf("%d scenarios, %d faults injected, %d jobs: lost %d, checkpoints lost %d, duplicate pods %d, stuck %d (%.1f s)%n",
            r.scenarios(), r.faults_injected(), r.jobs(), r.jobs_lost(), r.checkpoints_lost(), r.duplicate_pods(), r.stuck_jobs(),
            r.seconds());
      }
      spec.commandLine().getOut().flush();
      boolean everyScenarioInjected = r.per_scenario().stream().allMatch(s -> s.faults() > 0);
      return r.jobs_lost() == 0 && r.checkpoints_lost() == 0 && r.duplicate_pods() == 0 && r.stuck_jobs() == 0
          && r.restarts_charged() == 0 && everyScenarioInjected ? 0 : 1;
    }
  }
}
