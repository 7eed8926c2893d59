package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.Conditions;
import dev.spotter.api.JobPhase;
import dev.spotter.api.Placement;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.fleet.Fleet;
import dev.spotter.scheduling.Allocations;
import dev.spotter.scheduling.Decision;
import dev.spotter.scheduling.GangRequest;
import dev.spotter.scheduling.PoolInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a TrainingJob: observe its pods and the fleet, decide (gang placement, restart or finish),
 * record the intent in status with an optimistic lock, then create or delete pods.
 */
@ControllerConfiguration(name = "trainingjob")
public class TrainingJobReconciler implements Reconciler<TrainingJob>, JobController {
  public static final String KIND = "TrainingJob";

  private final Fleet fleet;
  private final EventRecorder events;
  private SimpleInboundEventSource<TrainingJob> wakeups;
  private volatile InformerEventSource<Pod, TrainingJob> podSource;
  private volatile io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<TrainingJob> primaries;

  public TrainingJobReconciler(Fleet fleet, EventRecorder events) {
    this.fleet = fleet;
    this.events = events;
  }

  public static String key(TrainingJob job) {
    return KIND + "/" + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> ctx) {
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
            .withLabelSelector(Api.LABEL_KIND + "=" + KIND)
            .withNamespacesInheritedFromController()
            .build(),
        ctx);
    podSource = pods;
    primaries = ctx.getPrimaryCache();
    wakeups = new SimpleInboundEventSource<>("trainingjob-wakeups");
    fleet.onWake(KIND, key -> {
      String[] p = key.split("/", 3);
      wakeups.propagateEvent(new ResourceID(p[2], p[1]));
    });
    return List.of(pods, wakeups);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean started() {
    return primaries != null && podSource != null;
  }

  @Override
  public boolean exists(String namespace, String name) {
    return primaries != null && primaries.get(new ResourceID(name, namespace)).isPresent();
  }

  @Override
  public java.util.stream.Stream<Pod> pods() {
    return podSource == null ? java.util.stream.Stream.empty() : podSource.list(p -> true);
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> ctx) {
    String key = key(job);
    TrainingJobStatus st = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    job.setStatus(st);
    String before = Serialization.asJson(st);
    Instant now = fleet.clock().instant();
    Long gen = job.getMetadata().getGeneration();
    List<Pod> pods = new ArrayList<>(ctx.getSecondaryResources(Pod.class));
    KubernetesClient client = ctx.getClient();

    if (st.getPhase() != null && st.getPhase().isFinal()) {
      fleet.release(key);
      if (st.getPhase() == JobPhase.Failed) {
        deleteLive(client, pods);
      }
      return UpdateControl.noUpdate();
    }

    List<String> errors = SpecChecks.training(job.getSpec());
    if (!errors.isEmpty()) {
      String msg = String.join("; ", errors);
      if (Conditions.set(st.getConditions(), Conditions.VALID, false, Conditions.REASON_INVALID_SPEC, msg, gen, now)) {
        events.warning(job, Conditions.REASON_INVALID_SPEC, msg);
      }
      if (st.getPlacement() == null) {
        st.setPhase(JobPhase.Pending);
        st.setReason(Conditions.REASON_INVALID_SPEC);
        st.setMessage(msg);
      }
      return write(job, ctx, before, null);
    }
    Conditions.set(st.getConditions(), Conditions.VALID, true, "SpecValid", "the spec passed every check", gen, now);
    st.setObservedGeneration(gen);

    if (st.getPlacement() == null) {
      List<Pod> live = pods.stream().filter(p -> PodOutcome.of(p).isLive()).toList();
      if (!live.isEmpty()) {
        // never two live pods for one rank: the old attempt must be gone before a new one starts
        deleteLive(client, live);
        return write(job, ctx, before, Duration.ofSeconds(2));
      }
      Decision d = admit(job, key, st, now);
      if (d instanceof Decision.Wait w) {
        return waitFor(job, ctx, before, w, now);
      }
      Decision.Placed p = (Decision.Placed) d;
      st.setAttempt(st.attempt() + 1);
      st.setPlacement(new Placement(p.pool().name(), p.capacityType(), p.pool().zone(), p.pool().pricePerGpuHour(), p.nodes()));
      st.setPhase(JobPhase.Running);
      st.setReason(Conditions.REASON_PLACED);
      st.setMessage(p.why());
      st.setAdmittedAt(now.toString());
      st.setPendingSince(null);
      st.setRunningWorkers(0);
      st.setSucceededWorkers(0);
      Conditions.set(st.getConditions(), Conditions.ADMITTED, true, Conditions.REASON_PLACED,
          "attempt " + st.getAttempt() + " on pool " + p.pool().name() + " (" + p.capacityType() + "): " + p.why(), gen, now);
      Conditions.set(st.getConditions(), Conditions.RUNNING, false, Conditions.REASON_WORKERS_STARTING,
          "0 of " + job.getSpec().workers() + " worker(s) running", gen, now);
      job = recordIntent(job, ctx);
      st = job.getStatus();
      events.normal(job, "Admitted", "attempt " + st.getAttempt() + ": " + job.getSpec().workers() + " worker(s) on pool "
          + p.pool().name() + " (" + p.capacityType() + ", nodes " + String.join(",", p.nodes()) + "): " + p.why());
      before = Serialization.asJson(st);
    }
    return run(job, ctx, pods, before, now);
  }

  private Decision admit(TrainingJob job, String key, TrainingJobStatus st, Instant now) {
    if (st.getPendingSince() == null) {
      st.setPendingSince(now.toString());
    }
    TrainingJobSpec s = job.getSpec();
    Duration wait = s.getCapacity() != null && s.getCapacity().getMaxSpotWaitSeconds() != null
        ? Duration.ofSeconds(s.getCapacity().getMaxSpotWaitSeconds()) : fleet.config().spotWait();
    Instant deadline = s.getCapacity() == null || s.getCapacity().getDeadline() == null ? null
        : OffsetDateTime.parse(s.getCapacity().getDeadline()).toInstant();
    GangRequest req = new GangRequest(key, job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        null, s.policy(), Instant.parse(st.getPendingSince()), wait, deadline, null, null);
    return fleet.admitGang(KIND, key, req);
  }

  private UpdateControl<TrainingJob> waitFor(TrainingJob job, Context<TrainingJob> ctx, String before, Decision.Wait w, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String reason = w.reason().name();
    boolean changedReason = !reason.equals(st.getReason());
    st.setPhase(st.attempt() > 0 ? JobPhase.Restarting : JobPhase.Pending);
    st.setReason(reason);
    st.setMessage(w.message());
    Conditions.set(st.getConditions(), Conditions.ADMITTED, false, reason, w.message(), job.getMetadata().getGeneration(), now);
    if (changedReason) {
      if (w.reason() == Decision.WaitReason.InsufficientCapacity) {
        events.normal(job, reason, w.message());
      } else {
        events.warning(job, reason, w.message());
      }
    }
    Duration recheck = fleet.config().pendingRecheck();
    if (w.recheckAt() != null) {
      Duration until = Duration.between(now, w.recheckAt()).plusMillis(50);
      recheck = until.isNegative() ? Duration.ofMillis(50) : until.compareTo(recheck) < 0 ? until : recheck;
    }
    return write(job, ctx, before, recheck);
  }

  private UpdateControl<TrainingJob> run(TrainingJob job, Context<TrainingJob> ctx, List<Pod> pods, String before, Instant now) {
    String key = key(job);
    TrainingJobStatus st = job.getStatus();
    Placement pl = st.getPlacement();
    int attempt = st.attempt();
    int workers = job.getSpec().workers();
    KubernetesClient client = ctx.getClient();
    fleet.restore(key, new Allocations.Holding(pl.getPool(), pl.getCapacityType(), pl.getNodes(), job.getSpec().gpusPerWorker()));

    Map<Integer, Pod> current = new HashMap<>();
    List<Pod> stale = new ArrayList<>();
    for (Pod p : pods) {
      String a = p.getMetadata().getLabels().get(Api.LABEL_ATTEMPT);
      String r = p.getMetadata().getLabels().get(Api.LABEL_RANK);
      if (Objects.equals(a, Integer.toString(attempt)) && r != null) {
        current.put(Integer.parseInt(r), p);
      } else {
        stale.add(p);
      }
    }
    deleteLive(client, stale);

    int running = 0;
    int succeeded = 0;
    String userFailure = null;
    String disruption = null;
    PoolInfo pool = fleet.catalog().pools().get(pl.getPool());
    if (pool == null) {
      disruption = "pool " + pl.getPool() + " no longer exists";
    }
    for (int rank = 0; rank < workers && disruption == null; rank++) {
      Pod p = current.get(rank);
      PodOutcome o = p == null ? null : PodOutcome.of(p);
      String node = pl.getNodes().get(rank);
      if (o == PodOutcome.SUCCEEDED) {
        succeeded++;
        continue;
      }
      if (o == PodOutcome.USER_FAILURE) {
        userFailure = "worker " + rank + " (pod " + p.getMetadata().getName() + ") failed: " + describe(p);
        continue;
      }
      if (o == PodOutcome.DISRUPTED) {
        disruption = "worker " + rank + " was disrupted: " + describe(p);
        continue;
      }
      if (fleet.node(node) == null) {
        disruption = "node " + node + " of worker " + rank + " is gone";
        continue;
      }
      if (p == null) {
        if (workers > 1 && rank == 0) {
          ensureService(client, job);
        }
        create(client, PodFactory.trainingWorker(job, attempt, rank, pool, node, st.getLastCheckpoint()));
      } else if (o == PodOutcome.RUNNING) {
        running++;
      }
    }
    Long gen = job.getMetadata().getGeneration();
    if (userFailure != null) {
      st.setRestarts(st.restarts() + 1);
      deleteLive(client, new ArrayList<>(current.values()));
      fleet.release(key);
      if (st.restarts() > job.getSpec().maxRestarts()) {
        String msg = userFailure + "; restart budget of " + job.getSpec().maxRestarts() + " used up";
        finish(job, JobPhase.Failed, Conditions.REASON_RESTART_LIMIT, msg, now);
        Conditions.set(st.getConditions(), Conditions.FAILED, true, Conditions.REASON_RESTART_LIMIT, msg, gen, now);
        events.warning(job, Conditions.REASON_RESTART_LIMIT, msg);
      } else {
        restart(job, Conditions.REASON_WORKER_FAILED, userFailure + "; restart " + st.restarts() + " of " + job.getSpec().maxRestarts(), now);
        events.warning(job, Conditions.REASON_WORKER_FAILED, st.getMessage());
      }
      return write(job, ctx, before, Duration.ofSeconds(1));
    }
    if (disruption != null) {
      st.setPreemptions(st.preemptions() + 1);
      deleteLive(client, new ArrayList<>(current.values()));
      fleet.release(key);
      restart(job, "Preempted", disruption + "; the gang moves to new capacity (not counted as a restart)", now);
      events.warning(job, "Preempted", st.getMessage());
      return write(job, ctx, before, Duration.ofSeconds(1));
    }
    st.setRunningWorkers(running);
    st.setSucceededWorkers(succeeded);
    if (succeeded == workers) {
      finish(job, JobPhase.Succeeded, Conditions.REASON_ALL_WORKERS_SUCCEEDED, "all " + workers + " worker(s) succeeded", now);
      Conditions.set(st.getConditions(), Conditions.COMPLETE, true, Conditions.REASON_ALL_WORKERS_SUCCEEDED, st.getMessage(), gen, now);
      events.normal(job, "Completed", "all " + workers + " worker(s) succeeded in attempt " + attempt);
      return write(job, ctx, before, null);
    }
    boolean allRunning = running + succeeded == workers;
    Conditions.set(st.getConditions(), Conditions.RUNNING, allRunning,
        allRunning ? Conditions.REASON_ALL_WORKERS_RUNNING : Conditions.REASON_WORKERS_STARTING,
        running + " of " + workers + " worker(s) running", gen, now);
    return write(job, ctx, before, null);
  }

  private void restart(TrainingJob job, String reason, String message, Instant now) {
    TrainingJobStatus st = job.getStatus();
    st.setPlacement(null);
    st.setPhase(JobPhase.Restarting);
    st.setReason(reason);
    st.setMessage(message);
    st.setPendingSince(now.toString());
    st.setRunningWorkers(0);
    Conditions.set(st.getConditions(), Conditions.RUNNING, false, reason, message, job.getMetadata().getGeneration(), now);
    Conditions.set(st.getConditions(), Conditions.ADMITTED, false, reason, message, job.getMetadata().getGeneration(), now);
  }

  private void finish(TrainingJob job, JobPhase phase, String reason, String message, Instant now) {
    TrainingJobStatus st = job.getStatus();
    st.setPhase(phase);
    st.setReason(reason);
    st.setMessage(message);
    st.setCompletedAt(now.toString());
    st.setRunningWorkers(0);
    Conditions.set(st.getConditions(), Conditions.RUNNING, false, reason, message, job.getMetadata().getGeneration(), now);
    fleet.release(key(job));
  }

  private static String describe(Pod p) {
    var s = p.getStatus();
    if (s == null) {
      return "no status";
    }
    String exit = "";
    if (s.getContainerStatuses() != null) {
      for (var cs : s.getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          exit = " exit code " + cs.getState().getTerminated().getExitCode();
        }
      }
    }
    return (s.getReason() == null ? s.getPhase() : s.getReason()) + exit + (s.getMessage() == null ? "" : " (" + s.getMessage() + ")");
  }

  private TrainingJob recordIntent(TrainingJob job, Context<TrainingJob> ctx) {
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(job, ctx, r -> ctx.getClient().resource(r).updateStatus());
  }

  private UpdateControl<TrainingJob> write(TrainingJob job, Context<TrainingJob> ctx, String before, Duration requeue) {
    if (!before.equals(Serialization.asJson(job.getStatus()))) {
      recordIntent(job, ctx);
    }
    UpdateControl<TrainingJob> c = UpdateControl.noUpdate();
    if (requeue != null) {
      c.rescheduleAfter(requeue);
    }
    return c;
  }

  private static void create(KubernetesClient client, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static void ensureService(KubernetesClient client, TrainingJob job) {
    var svc = PodFactory.trainingService(job);
    try {
      client.services().inNamespace(svc.getMetadata().getNamespace()).resource(svc).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  static void deleteLive(KubernetesClient client, List<Pod> pods) {
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() == null && PodOutcome.of(p).isLive()) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
      }
    }
  }
}
