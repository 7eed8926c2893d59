package dev.spotter.e2e;

import static org.awaitility.Awaitility.await;

import dev.spotter.config.SpotterConfig;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mode inprocess: two SpotterOperators in the test JVM, configured exactly as the chart configures
 * its pods (the SPOTTER_* variables of the installed Deployment), each acting as the chart's
 * ServiceAccount through impersonation, so the API server holds them to the chart's RBAC. The
 * first one started leads; "deleting the leader pod" is stopping it, after which a replacement
 * standby starts, as the Deployment would recreate a pod.
 */
final class InProcessOperators implements OperatorReplicas {
  private final K3sCluster cluster;
  private final SpotterConfig config;
  private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "e2e-operator-start");
    t.setDaemon(true);
    return t;
  });
  private Replica leader;
  private Replica standby;

  private record Replica(KubernetesClient client, SpotterOperator operator, CompletableFuture<Void> started) {}

  private InProcessOperators(K3sCluster cluster, SpotterConfig config) {
    this.cluster = cluster;
    this.config = config;
  }

  static InProcessOperators start(K3sCluster cluster) {
    // metricsPort -1: two operators in one JVM cannot both serve the chart's port 8080
    SpotterConfig config = SpotterConfig.load(SpotterRelease.operatorEnvironment(cluster.admin()), Map.of("metricsPort", "-1"));
    if (!config.leaderElection()) {
      throw new IllegalStateException("the chart was installed without leader election; the suite needs it");
    }
    InProcessOperators ops = new InProcessOperators(cluster, config);
    ops.leader = ops.launch();
    ops.awaitHolder(null);
    ops.standby = ops.launch();
    return ops;
  }

  private Replica launch() {
    KubernetesClient client = cluster.impersonating(SpotterRelease.serviceAccountUser(), SpotterRelease.serviceAccountGroups());
    SpotterOperator op = new SpotterOperator(client, config, Clock.systemUTC());
    // start() may wait on informers and the Lease; run it aside so a standby never blocks the suite
    return new Replica(client, op, CompletableFuture.runAsync(op::start, starter));
  }

  /** Waits until a replica other than {@code previous} holds the Lease; fails early if a start failed. */
  private String awaitHolder(String previous) {
    return await("a replica holding the Lease" + (previous == null ? "" : " other than " + previous))
        .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          for (Replica r : new Replica[] {leader, standby}) {
            if (r != null && r.started().isCompletedExceptionally()) {
              r.started().join(); // throws the start failure
            }
          }
          String h = OperatorReplicas.leaseHolder(cluster.admin());
          return h != null && !h.equals(previous) ? h : null;
        }, h -> h != null);
  }

  @Override
  public String describe() {
    return "two in-process operators acting as " + SpotterRelease.serviceAccountUser() + " (impersonated)";
  }

  @Override
  public String stopLeader() {
    String old = OperatorReplicas.leaseHolder(cluster.admin());
    stop(leader);
    leader = standby;
    standby = null;
    awaitHolder(old);
    standby = launch();
    return old;
  }

  private static void stop(Replica r) {
    if (r == null) {
      return;
    }
    try {
      r.started().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // stopped while still starting, or it never started: close what there is
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    r.operator().close();
    r.client().close();
  }

  @Override
  public String diagnostics() {
    return "in-process operators: their logs are in this test's output; Lease holder "
        + OperatorReplicas.leaseHolder(cluster.admin());
  }

  @Override
  public void close() {
    stop(standby);
    stop(leader);
    starter.shutdownNow();
  }
}
