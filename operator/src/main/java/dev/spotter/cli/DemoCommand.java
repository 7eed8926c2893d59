package dev.spotter.cli;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.demo.CloudPool;
import dev.spotter.demo.DemoJobs;
import dev.spotter.demo.DemoOptions;
import dev.spotter.demo.DemoRun;
import dev.spotter.demo.DemoStats;
import dev.spotter.demo.DemoSummary;
import dev.spotter.demo.LiveView;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `spotter demo`: the real operator on an in-process cluster whose spot pools follow a real trace. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the real Spotter operator against an in-process Kubernetes API with simulated GPU node pools: spot pools",
      "in several zones that follow a real spot availability trace (time-compressed), and one on-demand pool. When a",
      "zone loses spot, its nodes get the GKE notice taint cloud.google.com/impending-node-termination and go away",
      "after the notice window (GCP's 30 s, stretched to at least 1.5 s of real time); when spot returns, new nodes",
      "join. The demo applies the job manifests of manifests/examples/ (or its own) plus generated training jobs, runs",
      "simulated workloads that checkpoint and resume, shows a live view, and prints a summary at the end",
      "(--duration or Ctrl-C). The operator reads SPOTTER_* variables as in a cluster install.",
      ""
    },
    footerHeading = "%nJSON fields (--json prints one object at the end; money in USD, hours of trace time):%n",
    footer = {
      "  jobs_total            training jobs of the run (manifests + generated)",
      "  jobs_completed        training jobs that succeeded",
      "  jobs_lost             training jobs that failed for good",
      "  jobs_unfinished       training jobs still waiting or running when the demo ended (or not yet submitted)",
      "  inference_replicas    replicas the inference jobs ask for; inference_ready: replicas running at the end",
      "  notices               spot nodes that got a preemption notice (taint) from the trace",
      "  nodes_removed         noticed nodes deleted after their window; nodes_added: spot nodes that joined",
      "  preemptions           preemptions the operator recorded in job status (training gangs + inference replicas)",
      "  reschedules           gangs placed again after the first attempt, plus inference replicas placed again",
      "  checkpoints           checkpoints the workloads committed (periodic, on SIGTERM, on request)",
      "  resumes               attempts that resumed from a checkpoint instead of from scratch",
      "  work_lost_gpu_hours   GPU-hours of work done since the last checkpoint when a gang broke",
      "  spot_share            share of GPU-hours on spot; spot_target: the operator's target",
      "  gpu_hours             GPU-hours of Spotter's pods (spot_gpu_hours + on_demand_gpu_hours), from pod lifetimes",
      "  cost                  dollars at the pools' prices; on_demand_cost: the same GPU-hours at the on-demand price",
      "  savings_pct           100 x (1 - cost / on_demand_cost)",
      "  simulated_hours       trace hours replayed; real_seconds: how long the run took",
      "  trace, trace_start, zones, speed, seed   what was replayed: trace set, first instant, spot zones, speed, seed",
      "  metrics_url           the operator's /metrics while the demo ran (null with --metrics-port -1)"
    })
public class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--trace", defaultValue = DemoOptions.DEFAULT_TRACE,
      description = "Spot trace: a bundled trace set or a directory/file of trace JSON (default ${DEFAULT-VALUE}).")
  String trace;

  @Option(names = "--speed", defaultValue = "3600",
      description = "Trace seconds per real second (default ${DEFAULT-VALUE}: one trace hour per second, 2.5 trace days a minute).")
  double speed;

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the demo runs in real time, e.g. 90s or 2m (default ${DEFAULT-VALUE}); Ctrl-C ends it earlier.")
  Duration duration;

  @Option(names = "--seed", defaultValue = "7",
      description = "Picks the trace days replayed and the generated jobs; the same seed replays the same scenario (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--jobs", defaultValue = "8",
      description = "Generated training jobs (1-2 workers, 1-8 GPUs, 2-12 h of work, checkpointing) arriving over the first half (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--manifests", defaultValue = DemoJobs.AUTO,
      description = "Job manifests: auto (manifests/examples/ when it holds TrainingJobs or InferenceJobs, else the bundled ones),"
          + " bundled, or a directory or file (default ${DEFAULT-VALUE}). Only TrainingJob and InferenceJob are applied.")
  String manifests;

  @Option(names = "--metrics-port", defaultValue = "0",
      description = "Port of the operator's /metrics, /healthz and /readyz: 0 picks a free port, -1 turns it off (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--json", description = "Print one JSON object at the end (fields below) instead of the summary; progress lines go to stderr.")
  boolean json;

  @Option(names = "--no-tty", description = "No live screen: print a status line every few seconds instead (also when output is not a terminal).")
  boolean noTty;

  @Option(names = "--cloud-pool", defaultValue = "none",
      description = "Run the first spot pool as an alibaba or tencent pool, or none (default ${DEFAULT-VALUE}): its nodes carry that"
          + " cloud's node-pool label and providerID, and its notices arrive as spotter agent --cloud alibaba|tencent marks them"
          + " (taint and annotation spotter.dev/interruption, source agent-alibaba or agent-tencent) instead of the GKE taint.")
  String cloudPool;

  @Option(names = "--stop-when-done", description = "End as soon as every training job has finished, before --duration.")
  boolean stopWhenDone;

  @Override
  public Integer call() throws Exception {
    DemoOptions options;
    CloudPool cloud;
    try {
      cloud = CloudPool.parse(cloudPool);
      options = new DemoOptions(trace, speed, duration, seed, jobs, metricsPort, manifests, stopWhenDone,
          DemoOptions.defaults().minNoticeWindow(), DemoOptions.defaults().spotZones(), DemoOptions.defaults().nodesPerPool());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    boolean screen = !noTty && !json && System.console() != null;
    quietLogs(screen ? Level.ERROR : Level.WARN);
    PrintStream progress = json ? System.err : System.out;
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        finished.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "spotter-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    progress.println("spotter demo: starting the API server, the simulated fleet and the operator...");
    try (DemoRun run = new DemoRun(options, System.getenv()).withCloudPool(cloud)) {
      run.start();
      String url = run.metricsUrl();
      progress.printf("spotter demo: %s from %s, spot zones %s, jobs from %s; metrics at %s%n", options.trace(),
          run.plan().start(), run.plan().spot().stream().map(p -> p.zone()).toList(), run.jobSource(), url == null ? "(off)" : url);
      run.notes().forEach(n -> progress.println("  note: " + n));
      LiveView view = new LiveView(screen);
      Instant begin = Instant.now();
      Instant nextLine = begin;
      boolean first = true;
      while (!stop.await(screen ? 1000 : 250, TimeUnit.MILLISECONDS)) {
        boolean over = Duration.between(begin, Instant.now()).compareTo(options.duration()) >= 0
            || (options.stopWhenDone() && run.trainingDone());
        if (screen) {
          System.out.print(view.frame(run.stats(), options.duration(), url, first));
          System.out.flush();
          first = false;
        } else if (!Instant.now().isBefore(nextLine)) {
          progress.println(LiveView.line(run.stats()));
          nextLine = Instant.now().plusSeconds(5);
        }
        if (over) {
          break;
        }
      }
      DemoStats last = run.stats();
      DemoSummary summary = DemoSummary.of(last, options.seed(), url);
      if (screen) {
        System.out.print(view.frame(last, options.duration(), url, false));
      }
      if (json) {
        System.out.println(JSON.writeValueAsString(summary));
      } else {
        LiveView.summary(summary).forEach(System.out::println);
      }
      System.out.flush();
      return 0;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already (Ctrl-C): the hook is running and waits for us
      }
    }
  }

  /** The live screen and the JSON must not be interleaved with the operator's logs. */
  private static void quietLogs(Level level) {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger("dev.spotter").setLevel(level);
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
      // the demo's own CRD versions are alpha by design; fabric8 warns about that once per kind
      ctx.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(Level.ERROR);
    }
  }
}
