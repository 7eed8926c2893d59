package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointRef;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.JobCost;
import dev.spotter.api.Rescue;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.checkpoint.LostWork;
import dev.spotter.checkpoint.PreemptionHistory;
import dev.spotter.checkpoint.RescuePlanner;
import dev.spotter.metrics.SpotterMetrics;
import dev.spotter.preemption.JobKind;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeAction;
import dev.spotter.preemption.NoticeActionPolicy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import dev.spotter.api.Conditions;
import dev.spotter.api.JobPhase;
import dev.spotter.api.Placement;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.fleet.Fleet;
import dev.spotter.scheduling.Accelerators;
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
  private final CheckpointClient checkpoints;
  private final SpotterMetrics metrics;
  private final CheckpointCalls calls = new CheckpointCalls();
  private final PreemptionHistory history;
  /** Jobs moved after a notice: when the notice was seen, for the notice-to-reschedule latency. */
  private final Map<String, Long> movedAfterNotice = new java.util.concurrent.ConcurrentHashMap<>();
  private SimpleInboundEventSource<TrainingJob> wakeups;
  private volatile InformerEventSource<Pod, TrainingJob> podSource;
  private volatile io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<TrainingJob> primaries;

  public TrainingJobReconciler(Fleet fleet, EventRecorder events, CheckpointClient checkpoints, SpotterMetrics metrics) {
    this.fleet = fleet;
    this.events = events;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    var c = fleet.config();
    this.history = new PreemptionHistory(c.preemptionsBeforeOnDemand(), c.preemptionWindow(), c.onDemandCooldown());
  }

  private void wake(TrainingJob job) {
    if (wakeups != null) {
      wakeups.propagateEvent(new ResourceID(job.getMetadata().getName(), job.getMetadata().getNamespace()));
    }
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
  public java.util.stream.Stream<JobPhaseView> phases() {
    if (primaries == null) {
      return java.util.stream.Stream.empty();
    }
    return primaries.list(j -> true).map(j -> {
      var st = j.getStatus();
      String phase = st == null || st.getPhase() == null ? "Pending" : st.getPhase().name();
      String waiting = st != null && (st.getPhase() == JobPhase.Pending || st.getPhase() == JobPhase.Restarting) ? st.getReason() : null;
      return new JobPhaseView(j.getMetadata().getNamespace(), phase, waiting);
    });
  }

  @Override
  public java.util.stream.Stream<Pod> pods() {
    return podSource == null ? java.util.stream.Stream.empty() : podSource.list(p -> true);
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> ctx) {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      UpdateControl<TrainingJob> c = doReconcile(job, ctx);
      ok = true;
      return c;
    } finally {
      metrics.reconciled("trainingjob", ok, System.nanoTime() - t0);
    }
  }

  private UpdateControl<TrainingJob> doReconcile(TrainingJob job, Context<TrainingJob> ctx) {
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
      calls.forgetJob(key);
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
      // never two live pods for one rank: the old attempt must be gone (or its node) before a new one starts
      List<Pod> live = pods.stream().filter(PodOutcome::live).toList();
      List<Pod> blocking = live.stream().filter(p -> nodeOf(p) == null || fleet.node(nodeOf(p)) != null).toList();
      deleteLive(client, live);
      if (!blocking.isEmpty()) {
        return write(job, ctx, before, Duration.ofSeconds(1));
      }
      String missing = missingCheckpointVolume(job, client);
      if (missing != null) {
        st.setPhase(JobPhase.Pending);
        if (!"MissingCheckpointVolume".equals(st.getReason())) {
          events.warning(job, "MissingCheckpointVolume", missing);
        }
        st.setReason("MissingCheckpointVolume");
        st.setMessage(missing);
        Conditions.set(st.getConditions(), Conditions.ADMITTED, false, "MissingCheckpointVolume", missing, gen, now);
        return write(job, ctx, before, fleet.config().pendingRecheck());
      }
      Decision d = admit(job, key, st, now);
      if (d instanceof Decision.Wait w) {
        return waitFor(job, ctx, before, w, now);
      }
      ownCheckpointVolumeIfAsked(job, client);
      Decision.Placed p = (Decision.Placed) d;
      applyPlacement(job, p, now);
      job = recordIntent(job, ctx);
      st = job.getStatus();
      before = Serialization.asJson(st);
    }
    return run(job, ctx, pods, before, now);
  }

  /** A job whose checkpoint claim does not exist waits with a reason instead of starting pods that cannot mount it. */
  private static String missingCheckpointVolume(TrainingJob job, KubernetesClient client) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    if (cp == null || cp.getStorage() == null || cp.getStorage().getPersistentVolumeClaim() == null) {
      return null;
    }
    String claim = cp.getStorage().getPersistentVolumeClaim();
    var pvc = client.persistentVolumeClaims().inNamespace(job.getMetadata().getNamespace()).withName(claim).get();
    return pvc != null ? null : "PersistentVolumeClaim " + claim + " (spec.checkpoint.storage.persistentVolumeClaim) does not exist in namespace "
        + job.getMetadata().getNamespace() + "; create it or fix the name";
  }

  /**
   * Checkpoints outlive their job unless deleteWithJob is set: then the claim gets the job as an
   * owner, so the garbage collector removes it with the job.
   */
  private static void ownCheckpointVolumeIfAsked(TrainingJob job, KubernetesClient client) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    if (cp == null || cp.getStorage() == null || cp.getStorage().getPersistentVolumeClaim() == null
        || !Boolean.TRUE.equals(cp.getDeleteWithJob())) {
      return;
    }
    var owner = PodFactory.owner(job);
    owner.setController(false);
    client.persistentVolumeClaims().inNamespace(job.getMetadata().getNamespace()).withName(cp.getStorage().getPersistentVolumeClaim())
        .edit(pvc -> {
          if (pvc.getMetadata().getOwnerReferences().stream().noneMatch(o -> job.getMetadata().getUid().equals(o.getUid()))) {
            pvc.getMetadata().getOwnerReferences().add(owner);
          }
          return pvc;
        });
  }

  /** Records an admission in status (the intent the pods are then created from). */
  private void applyPlacement(TrainingJob job, Decision.Placed p, Instant now) {
    applyPlacement(job, p, now, true);
  }

  private void applyPlacement(TrainingJob job, Decision.Placed p, Instant now, boolean event) {
    TrainingJobStatus st = job.getStatus();
    Long gen = job.getMetadata().getGeneration();
    metrics.admitted(p.capacityType().name());
    if (p.capacityType() == CapacityType.OnDemand && job.getSpec().policy() == dev.spotter.api.CapacityPolicy.SpotPreferred
        && (p.why().contains("falling back") || p.why().contains("repeated preemptions") || p.why().contains("deadline"))) {
      metrics.fallback(p.why().contains("deadline") ? "deadline" : p.why().contains("repeated") ? "repeated_preemptions" : "spot_wait_expired");
    }
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
    if (event) {
      events.normal(job, "Admitted", "attempt " + st.getAttempt() + ": " + job.getSpec().workers() + " worker(s) on pool "
          + p.pool().name() + " (" + p.capacityType() + ", nodes " + String.join(",", p.nodes()) + "): " + p.why());
    }
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
    CapacityType forced = null;
    if (s.policy() == dev.spotter.api.CapacityPolicy.SpotPreferred && st.getOnDemandUntil() != null
        && now.isBefore(Instant.parse(st.getOnDemandUntil()))) {
      forced = CapacityType.OnDemand;
    }
    GangRequest req = new GangRequest(key, job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        Accelerators.resolve(s.getGpuResource(), fleet.config().gpuResource()), s.policy(), Instant.parse(st.getPendingSince()), wait, deadline, null, forced);
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
    // never two live pods for one rank: an older attempt's pod must be gone (or its node) first
    boolean oldAttemptAlive = stale.stream()
        .anyMatch(p -> PodOutcome.live(p) && (nodeOf(p) == null || fleet.node(nodeOf(p)) != null));

    PoolInfo pool = fleet.catalog().pools().get(pl.getPool());
    Rescue rescue = st.getRescue();
    if (rescue == null) {
      Notice notice = mostUrgentNotice(pl.getNodes());
      if (notice == null) {
        // a running pod marked DisruptionTarget (eviction, preemption by the scheduler) is a notice too
        for (Pod p : current.values()) {
          if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && PodOutcome.of(p) == PodOutcome.DISRUPTED) {
            notice = fleet.podNotices(p).stream().findFirst().orElse(null);
            if (notice != null) {
              break;
            }
          }
        }
      }
      if (notice != null) {
        NoticeAction action = NoticeActionPolicy.actionFor(notice, JobKind.Training, now);
        if (action == NoticeAction.CheckpointAndMove || action == NoticeAction.ResumeFromLastCheckpoint) {
          // recorded together with the first step below (one write before the workers are asked)
          rescue = startRescue(job, notice, now);
        }
      }
    }
    if (rescue != null) {
      return rescue(job, ctx, current, before, now);
    }

    int running = 0;
    int succeeded = 0;
    String userFailure = null;
    String disruption = null;
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
      if (p == null && oldAttemptAlive) {
        continue;
      }
      if (p == null) {
        if (workers > 1 && rank == 0) {
          ensureService(client, job);
        }
        create(client, PodFactory.trainingWorker(job, attempt, rank, pool, node, st.getLastCheckpoint()));
        Long seen = movedAfterNotice.remove(key);
        if (seen != null) {
          metrics.timer(SpotterMetrics.NOTICE_TO_RESCHEDULE, "Notice seen to replacement pods created", io.micrometer.core.instrument.Tags.empty())
              .record(Duration.ofNanos(System.nanoTime() - seen));
        }
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
      lose(job, now);
      moveGang(job, client, current, "Preempted", disruption + "; the gang moves to new capacity and resumes from "
          + resumeDescription(st) + " (not counted as a restart)", now, 0L);
      return write(job, ctx, before, Duration.ofSeconds(1));
    }
    boolean newCheckpoint = pollPeriodic(job, current.get(0), running + succeeded == workers, now);
    if (newCheckpoint && succeeded == 0 && returnToSpotNow(job, now)) {
      moveBack(job, client, current, now);
      return write(job, ctx, before, Duration.ofMillis(200));
    }
    if (newCheckpoint && succeeded == 0 && deadlineClose(job, now)) {
      moveToOnDemand(job, client, current, now);
      return write(job, ctx, before, Duration.ofMillis(200));
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
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    boolean polls = cp != null && cp.getTrigger() == CheckpointTrigger.Http;
    if (oldAttemptAlive) {
      return write(job, ctx, before, Duration.ofMillis(300));
    }
    return write(job, ctx, before, polls ? fleet.config().checkpointPoll() : null);
  }

  /**
   * Fast path, called by the fleet the moment a notice appears: asks the ranks of every job on the
   * node for a checkpoint right away (from the caches, without waiting for a reconcile thread).
   * Asking is harmless and idempotent, so it may precede the status record; the reconcile that
   * follows records the rescue and finds the requests already in flight under the same id.
   */
  public void noticed(Notice notice) {
    if (primaries == null || podSource == null) {
      return;
    }
    Instant now = fleet.clock().instant();
    NoticeAction action = NoticeActionPolicy.actionFor(notice, JobKind.Training, now);
    if (action != NoticeAction.CheckpointAndMove) {
      return;
    }
    for (TrainingJob job : primaries.list(j -> j.getStatus() != null && j.getStatus().getPlacement() != null
        && j.getStatus().getRescue() == null && j.getStatus().getPlacement().getNodes().contains(notice.node())).toList()) {
      CheckpointSpec cp = job.getSpec().getCheckpoint();
      if (cp == null || cp.getTrigger() != CheckpointTrigger.Http || cp.getPort() == null) {
        continue;
      }
      String id = requestId(job, notice);
      if (!calls.claim(id)) {
        continue;
      }
      Instant deadline = RescuePlanner.next(new RescuePlanner.Situation(now, notice.deadline(), fleet.config().checkpointSafetyMargin(),
          true, Duration.ofSeconds(cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds()), null, job.getSpec().workers(), 0, false))
          .requestDeadline();
      String attempt = Integer.toString(job.getStatus().attempt());
      Map<Integer, Pod> ranks = new HashMap<>();
      podSource.list(job.getMetadata().getNamespace(), p -> job.getMetadata().getName().equals(p.getMetadata().getLabels().get(Api.LABEL_JOB))
              && attempt.equals(p.getMetadata().getLabels().get(Api.LABEL_ATTEMPT)))
          .forEach(p -> ranks.put(Integer.parseInt(p.getMetadata().getLabels().get(Api.LABEL_RANK)), p));
      Rescue r = new Rescue();
      r.setRequestId(id);
      r.setNode(notice.node());
      ask(job, ranks, cp, r, deadline);
    }
  }

  private static String requestId(TrainingJob job, Notice notice) {
    return job.getMetadata().getName() + "-a" + job.getStatus().attempt() + "-" + notice.observedAt().getEpochSecond();
  }

  private Notice mostUrgentNotice(List<String> nodes) {
    Notice best = null;
    for (String n : new java.util.LinkedHashSet<>(nodes)) {
      Notice x = fleet.noticeOn(n);
      if (x != null && (best == null || best.supersededBy(x))) {
        best = x;
      }
    }
    return best;
  }

  /** Records that a notice is being handled (intent), before anything is asked of the workers. */
  private Rescue startRescue(TrainingJob job, Notice notice, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Rescue r = new Rescue();
    r.setRequestId(requestId(job, notice));
    r.setNode(notice.node());
    r.setNoticeKind(notice.kind().name());
    r.setNoticeSource(notice.source().tag());
    r.setNoticeDeadline(notice.deadline().toString());
    r.setNoticeSeenAt(now.toString());
    st.setRescue(r);
    st.setPhase(JobPhase.Checkpointing);
    st.setReason("PreemptionNotice");
    st.setMessage(notice.kind() + " notice from " + notice.source().tag() + " on node " + notice.node()
        + ": the node goes at " + notice.deadline() + "; checkpointing the gang");
    Conditions.set(st.getConditions(), "Checkpointing", true, "PreemptionNotice", st.getMessage(), job.getMetadata().getGeneration(), now);
    events.warning(job, "PreemptionNotice", st.getMessage());
    metrics.notice(notice.source().tag(), notice.kind().name());
    return r;
  }

  /** One step of the notice -> checkpoint -> move state machine. */
  private UpdateControl<TrainingJob> rescue(TrainingJob job, Context<TrainingJob> ctx, Map<Integer, Pod> current, String before, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Rescue r = st.getRescue();
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    int workers = job.getSpec().workers();
    boolean askable = cp != null && (cp.getTrigger() == CheckpointTrigger.Http && cp.getPort() != null
        || cp.getTrigger() == CheckpointTrigger.Exec && cp.getCommand() != null && !cp.getCommand().isEmpty());
    Duration timeout = Duration.ofSeconds(cp == null || cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds());
    Instant requestedAt = r.getRequestedAt() == null ? null : Instant.parse(r.getRequestedAt());
    Map<Integer, CompletableFuture<CheckpointReport>> inFlight = calls.requests(r.getRequestId());
    boolean refused = false;
    CheckpointReport report = null;
    for (var e : inFlight.entrySet()) {
      CompletableFuture<CheckpointReport> f = e.getValue();
      if (f.isDone()) {
        if (f.isCompletedExceptionally()) {
          refused = true;
        } else {
          if (!r.getCommittedRanks().contains(e.getKey())) {
            r.getCommittedRanks().add(e.getKey());
          }
          if (e.getKey() == 0) {
            report = f.join();
          }
        }
      }
    }
    RescuePlanner.Plan plan = RescuePlanner.next(new RescuePlanner.Situation(now, Instant.parse(r.getNoticeDeadline()),
        fleet.config().checkpointSafetyMargin(), askable, timeout, requestedAt, workers, r.getCommittedRanks().size(), refused));
    KubernetesClient client = ctx.getClient();
    switch (plan.step()) {
      case REQUEST -> {
        r.setRequestedAt(now.toString());
        if (calls.claim(r.getRequestId())) {
          ask(job, current, cp, r, plan.requestDeadline());
        }
        job = recordIntent(job, ctx); // a restarted operator finds the rescue and asks again with the same id
        boolean answered = !inFlight.isEmpty() && inFlight.values().stream().allMatch(CompletableFuture::isDone);
        // answers that came in before this write woke nobody: look at them right away
        return answered ? UpdateControl.<TrainingJob>noUpdate().rescheduleAfter(Duration.ofMillis(10))
            : requeueAt(plan.requestDeadline(), now);
      }
      case WAIT -> {
        if (calls.claim(r.getRequestId())) {
          ask(job, current, cp, r, plan.requestDeadline()); // this process did not send them (it restarted): send again
        }
        return write(job, ctx, before, until(plan.requestDeadline(), now));
      }
      case COMMITTED -> {
        CheckpointRef ref = new CheckpointRef();
        ref.setId(report != null ? report.id() : r.getRequestId());
        ref.setStep(report == null ? null : report.step());
        ref.setTime((report != null && report.time() != null ? report.time() : now).toString());
        ref.setSource("Notice");
        ref.setAttempt(st.getAttempt());
        st.setLastCheckpoint(ref);
        metrics.checkpoint("committed");
        if (requestedAt != null) {
          metrics.timer(SpotterMetrics.CHECKPOINT_DURATION, "Checkpoint request to commit", io.micrometer.core.instrument.Tags.empty())
              .record(Duration.between(requestedAt, now));
        }
        moveGang(job, client, current, "Rescheduled", "all " + workers + " rank(s) committed checkpoint " + ref.getId()
            + " before the notice deadline; the gang moves off node " + r.getNode() + " and resumes from it", now,
            fleet.noticeSeenNanos(r.getNode()));
      }
      case MISSED, MOVE -> {
        if (plan.step() == RescuePlanner.Step.MOVE && cp != null && cp.getTrigger() == CheckpointTrigger.Signal) {
          // SIGTERM with a grace period that ends before the node goes: the workload saves on its way out
          long left = Duration.between(now, Instant.parse(r.getNoticeDeadline()).minus(fleet.config().checkpointSafetyMargin())).toSeconds();
          long grace = Math.max(1, Math.min(left, cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds()));
          for (Pod p : current.values()) {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).withGracePeriod(grace).delete();
          }
          events.normal(job, "Checkpointing", "sent SIGTERM to " + current.size() + " worker(s) with " + grace
              + " s to save a checkpoint before node " + r.getNode() + " goes");
        }
        if (plan.step() == RescuePlanner.Step.MISSED) {
          metrics.checkpoint("missed");
          events.warning(job, "CheckpointMissed", plan.why() + "; resuming from " + resumeDescription(st));
        }
        lose(job, now);
        moveGang(job, client, current, "Rescheduled", plan.why() + "; the gang moves off node " + r.getNode()
            + " and resumes from " + resumeDescription(st), now, fleet.noticeSeenNanos(r.getNode()));
      }
      default -> throw new IllegalStateException(plan.step().toString());
    }
    return write(job, ctx, before, Duration.ofMillis(200));
  }

  private void ask(TrainingJob job, Map<Integer, Pod> current, CheckpointSpec cp, Rescue r, Instant deadline) {
    Map<Integer, CompletableFuture<CheckpointReport>> inFlight = calls.requests(r.getRequestId());
    long seen = fleet.noticeSeenNanos(r.getNode());
    for (int rank = 0; rank < job.getSpec().workers(); rank++) {
      Pod pod = current.get(rank);
      CompletableFuture<CheckpointReport> f = pod == null
          ? CompletableFuture.failedFuture(new IllegalStateException("rank " + rank + " has no pod"))
          : checkpoints.request(pod, cp, r.getRequestId(), deadline);
      inFlight.put(rank, f);
      f.whenComplete((ok, err) -> wake(job));
    }
    if (seen != 0) {
      metrics.timer(SpotterMetrics.NOTICE_TO_CHECKPOINT, "Notice seen to checkpoint requested", io.micrometer.core.instrument.Tags.empty())
          .record(Duration.ofNanos(System.nanoTime() - seen));
    }
  }

  /** Moves the whole gang: a preemption, never a user failure; repeated ones send it to on-demand. */
  private void moveGang(TrainingJob job, KubernetesClient client, Map<Integer, Pod> current, String reason, String message,
      Instant now, long noticeSeenNanos) {
    TrainingJobStatus st = job.getStatus();
    String key = key(job);
    st.setPreemptions(st.preemptions() + 1);
    List<Instant> recent = history.record(st.getRecentPreemptions() == null ? List.of()
        : st.getRecentPreemptions().stream().map(Instant::parse).toList(), now);
    st.setRecentPreemptions(recent.stream().map(Instant::toString).toList());
    Instant until = job.getSpec().policy() == dev.spotter.api.CapacityPolicy.SpotPreferred
        && st.getPlacement() != null && st.getPlacement().getCapacityType() == CapacityType.Spot
        ? history.onDemandUntil(recent, now) : null;
    if (until != null) {
      st.setOnDemandUntil(until.toString());
      metrics.fallback("repeated_preemptions");
      events.warning(job, "FallbackToOnDemand", recent.size() + " preemptions within " + fleet.config().preemptionWindow().toMinutes()
          + " min: the job runs on on-demand until " + until + ", then returns to spot at a checkpoint");
    }
    if (st.getRescue() != null) {
      calls.forget(st.getRescue().getRequestId());
    }
    st.setRescue(null);
    Conditions.set(st.getConditions(), "Checkpointing", false, reason, message, job.getMetadata().getGeneration(), now);
    deleteLive(client, new ArrayList<>(current.values()));
    fleet.release(key);
    restart(job, reason, message, now);
    // decide the new placement now, recorded in the same write; pods start once the old ones are gone
    Decision d = admit(job, key, st, now);
    String where = "";
    if (d instanceof Decision.Placed p) {
      applyPlacement(job, p, now, false);
      where = "; attempt " + st.getAttempt() + " goes to pool " + p.pool().name() + " (" + p.capacityType() + ")";
      st.setMessage(message + where);
    }
    metrics.reschedule(reason.equals("Preempted") ? "disruption" : "notice");
    if (noticeSeenNanos != 0) {
      movedAfterNotice.put(key, noticeSeenNanos);
    } else {
      movedAfterNotice.put(key, System.nanoTime());
    }
    events.warning(job, reason, message + where);
  }

  /** Accounts the work since the last committed checkpoint (or the attempt's start) as lost. */
  private void lose(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Instant since = st.getAdmittedAt() == null ? null : Instant.parse(st.getAdmittedAt());
    if (st.getLastCheckpoint() != null && st.getLastCheckpoint().getTime() != null) {
      Instant cpTime = Instant.parse(st.getLastCheckpoint().getTime());
      if (since == null || cpTime.isAfter(since)) {
        since = cpTime;
      }
    }
    double lost = LostWork.gpuHours(since, now, job.getSpec().workers() * job.getSpec().gpusPerWorker());
    JobCost cost = st.getCost() == null ? new JobCost() : st.getCost();
    cost.setLostGpuHours((cost.getLostGpuHours() == null ? 0 : cost.getLostGpuHours()) + lost);
    st.setCost(cost);
    metrics.counter(SpotterMetrics.LOST_GPU_HOURS, "GPU-hours of work lost to preemptions", io.micrometer.core.instrument.Tags.empty())
        .increment(lost);
  }

  private static String resumeDescription(TrainingJobStatus st) {
    return st.getLastCheckpoint() == null ? "the start (no checkpoint committed yet)"
        : "checkpoint " + st.getLastCheckpoint().getId();
  }

  /**
   * A job sent to on-demand by repeated preemptions goes back to spot at a checkpoint boundary:
   * once its cool-down is over, right after a new periodic checkpoint, when spot has room for it.
   */
  private boolean returnToSpotNow(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    TrainingJobSpec s = job.getSpec();
    // only a job sent to on-demand by repeated preemptions returns, once its cool-down is over:
    // moving back a job that fell back for lack of spot would thrash in a churning zone
    if (s.policy() != dev.spotter.api.CapacityPolicy.SpotPreferred || st.getPlacement().getCapacityType() != CapacityType.OnDemand
        || st.getOnDemandUntil() == null || now.isBefore(Instant.parse(st.getOnDemandUntil()))) {
      return false;
    }
    GangRequest probe = new GangRequest(key(job), job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        Accelerators.resolve(s.getGpuResource(), fleet.config().gpuResource()), dev.spotter.api.CapacityPolicy.SpotOnly, now, Duration.ZERO, null, null, null);
    return fleet.wouldPlace(probe) instanceof Decision.Placed;
  }

  /** A job on spot whose deadline is within the margin goes to on-demand at its next checkpoint. */
  private boolean deadlineClose(TrainingJob job, Instant now) {
    TrainingJobSpec s = job.getSpec();
    if (s.policy() != dev.spotter.api.CapacityPolicy.SpotPreferred || s.getCapacity() == null || s.getCapacity().getDeadline() == null
        || job.getStatus().getPlacement().getCapacityType() != CapacityType.Spot) {
      return false;
    }
    Instant deadline = OffsetDateTime.parse(s.getCapacity().getDeadline()).toInstant();
    return !now.isBefore(deadline.minus(fleet.config().deadlineMargin()));
  }

  private void moveToOnDemand(TrainingJob job, KubernetesClient client, Map<Integer, Pod> current, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String msg = "deadline " + job.getSpec().getCapacity().getDeadline() + " is less than "
        + fleet.config().deadlineMargin().toMinutes() + " min away: moving to on-demand at checkpoint " + st.getLastCheckpoint().getId();
    deleteLive(client, new ArrayList<>(current.values()));
    fleet.release(key(job));
    restart(job, "DeadlineClose", msg, now);
    metrics.fallback("deadline");
    events.warning(job, "DeadlineClose", msg);
  }

  private void moveBack(TrainingJob job, KubernetesClient client, Map<Integer, Pod> current, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String msg = "cool-down on on-demand is over and checkpoint " + st.getLastCheckpoint().getId() + " was just committed: moving back to spot and resuming from it";
    st.setOnDemandUntil(null);
    st.setRecentPreemptions(null);
    deleteLive(client, new ArrayList<>(current.values()));
    fleet.release(key(job));
    restart(job, "ReturnToSpot", msg, now);
    metrics.reschedule("return_to_spot");
    events.normal(job, "ReturnToSpot", msg);
  }

  /**
   * Asks rank 0 for its latest periodic checkpoint every checkpointPoll, without blocking.
   *
   * @return true when a newer checkpoint was recorded in this call
   */
  private boolean pollPeriodic(TrainingJob job, Pod rank0, boolean allRunning, Instant now) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    String key = key(job);
    boolean recorded = false;
    if (cp == null || cp.getTrigger() != CheckpointTrigger.Http || rank0 == null) {
      return false;
    }
    TrainingJobStatus st = job.getStatus();
    var done = calls.poll(key);
    if (done != null && done.isDone()) {
      Optional<CheckpointReport> r = done.getNow(Optional.empty());
      if (r.isPresent() && (st.getLastCheckpoint() == null || !r.get().id().equals(st.getLastCheckpoint().getId()))) {
        CheckpointRef ref = new CheckpointRef();
        ref.setId(r.get().id());
        ref.setStep(r.get().step());
        ref.setTime((r.get().time() == null ? now : r.get().time()).toString());
        ref.setSource("Periodic");
        ref.setAttempt(st.getAttempt());
        st.setLastCheckpoint(ref);
        recorded = true;
      }
      calls.forgetJobPoll(key);
    }
    long nowMs = fleet.clock().millis();
    if (allRunning && (done == null || done.isDone())
        && nowMs - calls.lastPollMillis(key) >= fleet.config().checkpointPoll().toMillis()) {
      var f = checkpoints.latest(rank0, cp);
      calls.polling(key, f, nowMs);
      f.whenComplete((ok, err) -> wake(job));
    }
    return recorded;
  }

  private static UpdateControl<TrainingJob> requeueAt(Instant at, Instant now) {
    return UpdateControl.<TrainingJob>noUpdate().rescheduleAfter(until(at, now));
  }

  private static Duration until(Instant at, Instant now) {
    Duration d = Duration.between(now, at).plusMillis(20);
    return d.isNegative() ? Duration.ofMillis(20) : d;
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

  /** The node a pod runs on, or was planned on. */
  static String nodeOf(Pod p) {
    if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
      return p.getSpec().getNodeName();
    }
    return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(Api.ANNOTATION_NODE);
  }

  static void deleteLive(KubernetesClient client, List<Pod> pods) {
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() == null && PodOutcome.live(p)) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
      }
    }
  }
}
