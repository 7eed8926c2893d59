package dev.spotter.config;

import java.util.Locale;

/**
 * Every operator option: its key (the Helm value under {@code operator.config}), its environment
 * variable, its default and what it does. The table in docs/configuration.md is generated from
 * this list and checked by the build.
 */
public enum Option {
  SPOT_TARGET("spotTarget", "0.8", "Fleet-wide target share of GPUs on spot, 0 to 1."),
  SPOT_WAIT_SECONDS("spotWaitSeconds", "600", "How long a SpotPreferred job waits for spot before it falls back to on-demand."),
  DEADLINE_MARGIN_SECONDS("deadlineMarginSeconds", "1800", "A job with a deadline moves to on-demand when its slack drops below this."),
  PENDING_RECHECK_SECONDS("pendingRecheckSeconds", "30", "How often a waiting job is reconsidered even when nothing in the cluster changed."),
  SPOT_PRICE_PER_GPU_HOUR("spotPricePerGpuHour", "2.37", "Price of a spot GPU-hour (USD) for pools that declare none."),
  ON_DEMAND_PRICE_PER_GPU_HOUR("onDemandPricePerGpuHour", "10.32", "Price of an on-demand GPU-hour (USD) for pools that declare none."),
  GPU_RESOURCE("gpuResource", "nvidia.com/gpu", "Extended resource name of accelerators for pools and jobs that declare none (such a job only lands on pools of this resource); pool discovery looks for it besides nvidia.com/gpu, amd.com/gpu and huawei.com/Ascend910."),
  WATCH_NAMESPACES("watchNamespaces", "", "Comma-separated namespaces whose jobs the operator manages; all when empty."),
  RECONCILE_THREADS("reconcileThreads", "16", "Concurrent reconciliations."),
  METRICS_PORT("metricsPort", "8080", "Port of /metrics, /healthz and /readyz; 0 picks a free port, -1 disables the server."),
  METRICS_HOST("metricsHost", "0.0.0.0", "Address the metrics and health server listens on (127.0.0.1 keeps it local)."),
  LEADER_ELECTION("leaderElection", "false", "Elect a leader on a Lease so only one replica reconciles."),
  LEADER_ELECTION_NAMESPACE("leaderElectionNamespace", "", "Namespace of the leader-election Lease; the pod's namespace when empty."),
  LEADER_ELECTION_LEASE("leaderElectionLease", "spotter-operator", "Name of the leader-election Lease."),
  CHECKPOINT_SAFETY_MARGIN_SECONDS("checkpointSafetyMarginSeconds", "5", "Time kept free before a notice deadline to stop pods cleanly after the checkpoint."),
  PREEMPTIONS_BEFORE_ON_DEMAND("preemptionsBeforeOnDemand", "3", "After this many preemptions within preemptionWindowSeconds a SpotPreferred job moves to on-demand; 0 never."),
  PREEMPTION_WINDOW_SECONDS("preemptionWindowSeconds", "3600", "The window in which preemptions are counted."),
  ON_DEMAND_COOLDOWN_SECONDS("onDemandCooldownSeconds", "3600", "How long a job stays on on-demand after repeated preemptions before it may return to spot at a checkpoint."),
  CHECKPOINT_POLL_SECONDS("checkpointPollSeconds", "60", "How often the operator asks a running job (Http trigger) for its latest periodic checkpoint."),
  RESTART_OVERHEAD_SECONDS("restartOverheadSeconds", "600", "Run time lost on every start of a job with capacity.expectedDuration (pull, load), for jobs that declare none; an input of the cost policy."),
  COST_POLICY_STEP_SECONDS("costPolicyStepSeconds", "300", "How often the cost policy reconsiders a job with capacity.expectedDuration that waits for spot, and samples each spot pool's availability."),
  SERVER_SIDE_APPLY("serverSideApply", "true", "Write job and pool status with server-side apply (field manager spotter-operator, with the resourceVersion precondition); false writes it with a plain update, for API servers without server-side apply."),
  LOG_FORMAT("logFormat", "text", "Log format: text or json.");

  private final String key;
  private final String defaultValue;
  private final String description;

  Option(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() { return key; }
  public String defaultValue() { return defaultValue; }
  public String description() { return description; }

  /** SPOTTER_ followed by the key in upper snake case, for example SPOTTER_SPOT_TARGET. */
  public String envVar() {
    return "SPOTTER_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  public static Option byKey(String key) {
    for (Option o : values()) {
      if (o.key.equals(key)) {
        return o;
      }
    }
    return null;
  }
}
