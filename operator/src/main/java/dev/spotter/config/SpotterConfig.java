package dev.spotter.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's typed configuration. Values come from {@link Option} defaults, then environment
 * variables (SPOTTER_*), then explicit key=value overrides; bad values fail fast with a message
 * that names the option.
 */
public record SpotterConfig(
    double spotTarget,
    Duration spotWait,
    Duration deadlineMargin,
    Duration pendingRecheck,
    double spotPricePerGpuHour,
    double onDemandPricePerGpuHour,
    String gpuResource,
    Set<String> watchNamespaces,
    int reconcileThreads,
    int metricsPort,
    String metricsHost,
    boolean leaderElection,
    String leaderElectionNamespace,
    String leaderElectionLease,
    Duration checkpointSafetyMargin,
    int preemptionsBeforeOnDemand,
    Duration preemptionWindow,
    Duration onDemandCooldown,
    Duration checkpointPoll,
    Duration restartOverhead,
    Duration costPolicyStep,
    boolean serverSideApply,
    String logFormat) {

  public static SpotterConfig defaults() {
    return load(Map.of(), Map.of());
  }

  /** Defaults, overridden by SPOTTER_* variables from {@code env}, overridden by {@code overrides}. */
  public static SpotterConfig load(Map<String, String> env, Map<String, String> overrides) {
    Map<Option, String> v = new EnumMap<>(Option.class);
    for (Option o : Option.values()) {
      v.put(o, o.defaultValue());
      String e = env.get(o.envVar());
      if (e != null) {
        v.put(o, e.trim());
      }
    }
    overrides.forEach(
        (k, val) -> {
          Option o = Option.byKey(k);
          if (o == null) {
            throw new IllegalArgumentException(
                "unknown option '" + k + "'; known options: "
                    + Arrays.stream(Option.values()).map(Option::key).collect(Collectors.joining(", ")));
          }
          v.put(o, val.trim());
        });
    double target = dbl(v, Option.SPOT_TARGET);
    if (target < 0 || target > 1) {
      throw new IllegalArgumentException(Option.SPOT_TARGET.key() + " must be between 0 and 1, got " + target);
    }
    String fmt = v.get(Option.LOG_FORMAT);
    if (!fmt.equals("text") && !fmt.equals("json")) {
      throw new IllegalArgumentException(Option.LOG_FORMAT.key() + " must be text or json, got " + fmt);
    }
    int threads = integer(v, Option.RECONCILE_THREADS);
    if (threads < 1) {
      throw new IllegalArgumentException(Option.RECONCILE_THREADS.key() + " must be at least 1, got " + threads);
    }
    return new SpotterConfig(
        target,
        Duration.ofSeconds(nonNegative(v, Option.SPOT_WAIT_SECONDS)),
        Duration.ofSeconds(nonNegative(v, Option.DEADLINE_MARGIN_SECONDS)),
        Duration.ofSeconds(Math.max(1, nonNegative(v, Option.PENDING_RECHECK_SECONDS))),
        dbl(v, Option.SPOT_PRICE_PER_GPU_HOUR),
        dbl(v, Option.ON_DEMAND_PRICE_PER_GPU_HOUR),
        v.get(Option.GPU_RESOURCE),
        Arrays.stream(v.get(Option.WATCH_NAMESPACES).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        threads,
        integer(v, Option.METRICS_PORT),
        v.get(Option.METRICS_HOST),
        Boolean.parseBoolean(v.get(Option.LEADER_ELECTION)),
        v.get(Option.LEADER_ELECTION_NAMESPACE),
        v.get(Option.LEADER_ELECTION_LEASE),
        Duration.ofSeconds(nonNegative(v, Option.CHECKPOINT_SAFETY_MARGIN_SECONDS)),
        (int) nonNegative(v, Option.PREEMPTIONS_BEFORE_ON_DEMAND),
        Duration.ofSeconds(nonNegative(v, Option.PREEMPTION_WINDOW_SECONDS)),
        Duration.ofSeconds(nonNegative(v, Option.ON_DEMAND_COOLDOWN_SECONDS)),
        Duration.ofSeconds(Math.max(1, nonNegative(v, Option.CHECKPOINT_POLL_SECONDS))),
        Duration.ofSeconds(nonNegative(v, Option.RESTART_OVERHEAD_SECONDS)),
        Duration.ofSeconds(Math.max(1, nonNegative(v, Option.COST_POLICY_STEP_SECONDS))),
        bool(v, Option.SERVER_SIDE_APPLY),
        fmt);
  }

  /** A copy with some options changed, for tests, the demo and the benchmarks. */
  public SpotterConfig with(Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>(asMap());
    all.putAll(overrides);
    return load(Map.of(), all);
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Option.SPOT_TARGET.key(), Double.toString(spotTarget));
    m.put(Option.SPOT_WAIT_SECONDS.key(), Long.toString(spotWait.toSeconds()));
    m.put(Option.DEADLINE_MARGIN_SECONDS.key(), Long.toString(deadlineMargin.toSeconds()));
    m.put(Option.PENDING_RECHECK_SECONDS.key(), Long.toString(pendingRecheck.toSeconds()));
    m.put(Option.SPOT_PRICE_PER_GPU_HOUR.key(), Double.toString(spotPricePerGpuHour));
    m.put(Option.ON_DEMAND_PRICE_PER_GPU_HOUR.key(), Double.toString(onDemandPricePerGpuHour));
    m.put(Option.GPU_RESOURCE.key(), gpuResource);
    m.put(Option.WATCH_NAMESPACES.key(), String.join(",", watchNamespaces));
    m.put(Option.RECONCILE_THREADS.key(), Integer.toString(reconcileThreads));
    m.put(Option.METRICS_PORT.key(), Integer.toString(metricsPort));
    m.put(Option.METRICS_HOST.key(), metricsHost);
    m.put(Option.LEADER_ELECTION.key(), Boolean.toString(leaderElection));
    m.put(Option.LEADER_ELECTION_NAMESPACE.key(), leaderElectionNamespace);
    m.put(Option.LEADER_ELECTION_LEASE.key(), leaderElectionLease);
    m.put(Option.CHECKPOINT_SAFETY_MARGIN_SECONDS.key(), Long.toString(checkpointSafetyMargin.toSeconds()));
    m.put(Option.PREEMPTIONS_BEFORE_ON_DEMAND.key(), Integer.toString(preemptionsBeforeOnDemand));
    m.put(Option.PREEMPTION_WINDOW_SECONDS.key(), Long.toString(preemptionWindow.toSeconds()));
    m.put(Option.ON_DEMAND_COOLDOWN_SECONDS.key(), Long.toString(onDemandCooldown.toSeconds()));
    m.put(Option.CHECKPOINT_POLL_SECONDS.key(), Long.toString(checkpointPoll.toSeconds()));
    m.put(Option.RESTART_OVERHEAD_SECONDS.key(), Long.toString(restartOverhead.toSeconds()));
    m.put(Option.COST_POLICY_STEP_SECONDS.key(), Long.toString(costPolicyStep.toSeconds()));
    m.put(Option.SERVER_SIDE_APPLY.key(), Boolean.toString(serverSideApply));
    m.put(Option.LOG_FORMAT.key(), logFormat);
    return m;
  }

  public List<String> describe() {
    return asMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static boolean bool(Map<Option, String> v, Option o) {
    String s = v.get(o);
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException(o.key() + " must be true or false, got " + s);
    }
    return Boolean.parseBoolean(s);
  }

  private static double dbl(Map<Option, String> v, Option o) {
    try {
      return Double.parseDouble(v.get(o));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(o.key() + " (" + o.envVar() + ") must be a number, got '" + v.get(o) + "'");
    }
  }

  private static int integer(Map<Option, String> v, Option o) {
    try {
      return Integer.parseInt(v.get(o));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(o.key() + " (" + o.envVar() + ") must be an integer, got '" + v.get(o) + "'");
    }
  }

  private static long nonNegative(Map<Option, String> v, Option o) {
    long n = integer(v, o);
    if (n < 0) {
      throw new IllegalArgumentException(o.key() + " must not be negative, got " + n);
    }
    return n;
  }
}
