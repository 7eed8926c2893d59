package dev.spotter.operator;

import dev.spotter.api.CapacityType;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.ReplicaPlacement;
import dev.spotter.api.TrainingJob;
import dev.spotter.config.SpotterConfig;
import dev.spotter.fleet.Fleet;
import dev.spotter.reconcile.EventRecorder;
import dev.spotter.reconcile.GpuPoolReconciler;
import dev.spotter.reconcile.InferenceJobReconciler;
import dev.spotter.reconcile.TrainingJobReconciler;
import dev.spotter.scheduling.Allocations;
import dev.spotter.scheduling.SpotMix;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator, wired: the fleet view, the three reconcilers on JOSDK, the reaper and the
 * metrics/health server. The cluster install, the demo and the benchmarks all start this class.
 */
public final class SpotterOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpotterOperator.class);

  /**
   * At most this many reconciles of one object per second, whatever wakes it (its pods changing
   * every few milliseconds, a storm of wake-ups, a bug that requeues at once): events beyond it
   * wait for the next second, so no object can spin the operator. A job's busiest legitimate
   * second (notice, checkpoint request, answer, move, new pods) takes about five.
   */
  static final int RECONCILES_PER_SECOND = 10;

  private final KubernetesClient client;
  private final SpotterConfig config;
  private final Fleet fleet;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "spotter-reaper");
    t.setDaemon(true);
    return t;
  });
  private final dev.spotter.metrics.SpotterMetrics metrics = new dev.spotter.metrics.SpotterMetrics(registry);
  private dev.spotter.reconcile.CheckpointClient checkpointClient;
  private Operator operator;
  private EventRecorder events;
  private HealthServer http;
  private volatile boolean started;
  private volatile boolean closing;

  public SpotterOperator(KubernetesClient client, SpotterConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.fleet = new Fleet(config, clock);
    this.checkpointClient = new dev.spotter.reconcile.TriggerCheckpointClient(
        new dev.spotter.reconcile.HttpCheckpointClient(clock), new dev.spotter.reconcile.ExecCheckpointClient(client, clock));
  }

  /** Replaces how workers are asked for checkpoints (tests and simulations); call before start(). */
  public SpotterOperator withCheckpointClient(dev.spotter.reconcile.CheckpointClient client) {
    this.checkpointClient = client;
    return this;
  }

  public dev.spotter.metrics.SpotterMetrics metrics() {
    return metrics;
  }

  public Fleet fleet() {
    return fleet;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port of /metrics, or -1 when the server is off. */
  public int metricsPort() {
    return http == null ? -1 : http.port();
  }

  public SpotterOperator start() {
    if (config.metricsPort() >= 0) {
      try {
        http = new HealthServer(config.metricsHost(), config.metricsPort(), registry, () -> true, () -> started);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
      }
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Gauge.builder(dev.spotter.metrics.SpotterMetrics.SPOT_SHARE, fleet,
            f -> SpotMix.share(f.allocated(CapacityType.Spot), f.allocated(CapacityType.OnDemand)))
        .description("Share of the GPUs held by Spotter's jobs that are on spot").register(registry);
    Gauge.builder(dev.spotter.metrics.SpotterMetrics.SPOT_TARGET, () -> config.spotTarget())
        .description("Configured target share of GPUs on spot").register(registry);
    // counters that must exist from the start so rate() and the alerts see zeros, not gaps
    for (String outcome : List.of("committed", "missed", "failed")) {
      metrics.counter(dev.spotter.metrics.SpotterMetrics.CHECKPOINTS, "Checkpoints by outcome",
          io.micrometer.core.instrument.Tags.of(dev.spotter.metrics.SpotterMetrics.OUTCOME, outcome));
    }

    fleet.start(client);
    primeLedger();
    events = new EventRecorder(client, fleet.clock());
    var training = new TrainingJobReconciler(fleet, events, checkpointClient, metrics);
    fleet.onNotice(training::noticed);
    var inference = new InferenceJobReconciler(fleet, events, metrics);
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(config.serverSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withConcurrentReconciliationThreads(config.reconcileThreads());
      if (config.leaderElection()) {
        String ns = config.leaderElectionNamespace().isEmpty() ? null : config.leaderElectionNamespace();
        // losing the Lease while running means another replica may already reconcile: stop hard, as
        // JOSDK would; a deliberate close() gives it up quietly instead
        var callbacks = new io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks(
            () -> log.info("leading: this replica reconciles"),
            () -> {
              if (!closing) {
                log.error("lost the leader-election Lease; exiting so that only one replica reconciles");
                Runtime.getRuntime().halt(1);
              }
            },
            leader -> log.info("leader is {}", leader));
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaderElectionLease(), ns,
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity(), callbacks, false));
      }
    });
    operator.register(training, namespaces());
    operator.register(inference, namespaces());
    operator.register(new GpuPoolReconciler(fleet, events, Duration.ofSeconds(30)),
        o -> o.withRetry(new JitteredRetry(Duration.ofMillis(200), Duration.ofSeconds(10)))
            .withRateLimiter(new LinearRateLimiter(Duration.ofSeconds(1), RECONCILES_PER_SECOND)));
    operator.start();
    background.scheduleWithFixedDelay(new Reaper(fleet, client, List.of(training, inference)), 5, 5, TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(new MetricsSampler(fleet, metrics, List.of(training, inference)), 1, 5, TimeUnit.SECONDS);
    started = true;
    log.info("spotter operator started: {}", String.join(" ", config.describe()));
    return this;
  }

  private <R extends io.fabric8.kubernetes.api.model.HasMetadata> Consumer<ControllerConfigurationOverrider<R>> namespaces() {
    return o -> {
      o.withRetry(new JitteredRetry(Duration.ofMillis(200), Duration.ofSeconds(10)));
      o.withRateLimiter(new LinearRateLimiter(Duration.ofSeconds(1), RECONCILES_PER_SECOND));
      if (!config.watchNamespaces().isEmpty()) {
        o.settingNamespaces(config.watchNamespaces());
      }
    };
  }

  /** Who holds the lease: the pod's name in a cluster (POD_NAME or HOSTNAME), made unique per process. */
  static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod == null || pod.isBlank()) {
      pod = System.getenv().getOrDefault("HOSTNAME", "spotter");
    }
    return pod + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Rebuilds the ledger from the placements recorded in status, before anything is admitted. */
  private void primeLedger() {
    for (TrainingJob tj : client.resources(TrainingJob.class).inAnyNamespace().list().getItems()) {
      var st = tj.getStatus();
      if (st != null && st.getPlacement() != null && (st.getPhase() == null || !st.getPhase().isFinal())) {
        var pl = st.getPlacement();
        fleet.restore(TrainingJobReconciler.key(tj),
            new Allocations.Holding(pl.getPool(), pl.getCapacityType(), pl.getNodes(), tj.getSpec().gpusPerWorker()));
      }
    }
    for (InferenceJob ij : client.resources(InferenceJob.class).inAnyNamespace().list().getItems()) {
      if (ij.getStatus() == null) {
        continue;
      }
      for (ReplicaPlacement rp : ij.getStatus().getReplicaPlacements()) {
        fleet.restore(Fleet.replicaKey(InferenceJobReconciler.key(ij), rp.getIndex(), rp.getNode()),
            new Allocations.Holding(rp.getPool(), rp.getCapacityType(), List.of(rp.getNode()), ij.getSpec().gpusPerReplica()));
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    started = false;
    background.shutdownNow();
    if (operator != null) {
      operator.stop();
    }
    fleet.close();
    if (events != null) {
      events.close();
    }
    if (http != null) {
      http.close();
    }
  }
}
