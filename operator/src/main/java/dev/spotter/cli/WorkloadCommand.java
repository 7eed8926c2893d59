package dev.spotter.cli;

import dev.spotter.workload.ReferenceWorkload;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `spotter workload`: the reference workload of docs/checkpoint-contract.md, for a container. */
@Command(
    name = "workload",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the reference training workload that follows Spotter's checkpoint contract (docs/checkpoint-contract.md).",
      "It reads SPOTTER_JOB, SPOTTER_RANK, SPOTTER_RESUME_FROM, SPOTTER_CHECKPOINT_PORT, SPOTTER_CHECKPOINT_PATH and",
      "SPOTTER_CHECKPOINT_DIR as Spotter sets them, plus WORKLOAD_TOTAL_STEPS (1000), WORKLOAD_STEP_MILLIS (100),",
      "WORKLOAD_CHECKPOINT_EVERY (100 steps) and WORKLOAD_CHECKPOINT_MILLIS (50). It serves POST <path> (checkpoint now,",
      "answers {\"id\",\"step\",\"time\"}) and GET <path> (latest checkpoint, 204 when none), writes a final checkpoint on",
      "SIGTERM, and exits 0 when all steps are done."
    })
public class WorkloadCommand implements Callable<Integer> {
  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address of the checkpoint endpoint (default ${DEFAULT-VALUE}).")
  String bind;

  @Override
  public Integer call() throws Exception {
    ReferenceWorkload w = new ReferenceWorkload(ReferenceWorkload.Settings.fromEnv(System.getenv(), bind), Clock.systemUTC()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!w.finished()) {
        System.out.println(w.terminate().toJson()); // the final checkpoint, also for the termination log
      }
    }, "workload-sigterm"));
    boolean ok = w.await(Duration.ofDays(365));
    System.out.println("{\"step\":" + w.step() + ",\"checkpoints\":" + w.checkpoints() + "}");
    return ok ? 0 : 1;
  }
}
